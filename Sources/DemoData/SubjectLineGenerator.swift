/// LaMP_6 technical emails (patch mails and bug reports) and the per-user subject line.
///
/// This is the realistic test bed: the inputs are article-length (about 100-200 words) and messy
/// (a greeting, how the problem was found, a pasted log or stack trace, steps to reproduce, a
/// link, a sign-off), and the subject is short (5-10 words) and follows a convention of the
/// user's project that no model guesses without seeing the history.
///
/// **Latent preference.** Every email is about a change: an area (`net`, `mm`, `auth`, …), an
/// action (fix, add, remove, speed up, document, refactor) and a target (`use-after-free in
/// tcp_close`). The action and target appear in the body, but never in its first sentence, and
/// are worded differently there ("we hit a use-after-free in tcp_close"). A user's subject applies
/// their `SubjectConvention` to them:
/// - `areaColon` (the Linux kernel's): `net: fix use-after-free in tcp_close`
/// - `severityTag` (HAProxy's): `BUG/MINOR: net: fix use-after-free in tcp_close`, the tag from
///   the change (`BUG/MAJOR` for a crash, `BUG/MINOR` other fixes, `MINOR` additions, `MEDIUM`
///   speed-ups and refactors, `CLEANUP` removals, `DOC` documentation)
/// - `imperative` (git's): `Fix use-after-free in tcp_close`
/// - `ticket`: `[NET-1234] Fix use-after-free in tcp_close`, the ticket id written somewhere in
///   the body (`Ticket: NET-1234`)
/// - `conventional` (Conventional Commits): `fix(net): use-after-free in tcp_close`
/// - `pastTense`: `Fixed use-after-free in tcp_close (net)`
/// Each user works in one project (its areas) and with `noiseRate` (0.05) one subject drops the
/// convention for a plain `fix use-after-free in tcp_close`.
enum SubjectLineGenerator {
    /// Draws a user's convention and project, then their profile and question emails.
    static func makeUser(profileCount: Int, questionCount: Int, rng: inout SplitMix64)
        -> (SubjectLineConvention, GeneratedUser)
    {
        let project = rng.pick(projects)
        let convention = SubjectLineConvention(
            style: rng.pick(SubjectLineConvention.Style.allCases), project: project.name,
            ticketPrefix: project.ticketPrefix, noiseRate: 0.05)
        var profile: [DemoRecord] = []
        for _ in 0..<profileCount { profile.append(email(convention: convention, project: project, rng: &rng)) }
        var questions: [DemoRecord] = []
        for _ in 0..<questionCount { questions.append(email(convention: convention, project: project, rng: &rng)) }
        return (convention, GeneratedUser(profile: profile, questions: questions))
    }

    /// What an email is about.
    struct Change: Sendable {
        var area: String
        var action: Action
        var target: String
        var ticket: String
    }

    enum Action: String, CaseIterable, Sendable {
        case fixCrash, fix, add, remove, speedUp, document, refactor

        /// The imperative verb of the subject.
        var verb: String {
            switch self {
            case .fixCrash, .fix: "fix"
            case .add: "add"
            case .remove: "remove"
            case .speedUp: "speed up"
            case .document: "document"
            case .refactor: "refactor"
            }
        }

        var pastTense: String {
            switch self {
            case .fixCrash, .fix: "fixed"
            case .add: "added"
            case .remove: "removed"
            case .speedUp: "sped up"
            case .document: "documented"
            case .refactor: "refactored"
            }
        }

        /// The HAProxy-style severity tag.
        var severity: String {
            switch self {
            case .fixCrash: "BUG/MAJOR"
            case .fix: "BUG/MINOR"
            case .add: "MINOR"
            case .speedUp, .refactor: "MEDIUM"
            case .remove: "CLEANUP"
            case .document: "DOC"
            }
        }

        /// The Conventional Commits type.
        var commitType: String {
            switch self {
            case .fixCrash, .fix: "fix"
            case .add: "feat"
            case .speedUp: "perf"
            case .refactor, .remove: "refactor"
            case .document: "docs"
            }
        }
    }

    /// One email and the user's subject for it.
    static func email(convention: SubjectLineConvention, project: Project, rng: inout SplitMix64) -> DemoRecord {
        let action = rng.pick(Action.allCases)
        let area = rng.pick(project.areas)
        let target = rng.pick(targets(for: action, area: area))
        let change = Change(
            area: area.name, action: action, target: target, ticket: "\(project.ticketPrefix)-\(1000 + rng.below(9000))")
        var applied = convention
        if rng.chance(convention.noiseRate) { applied.style = .plain }
        return DemoRecord(text: write(change, project: project, area: area, rng: &rng), answer: subject(change, style: applied.style))
    }

    /// The subject of `change` in `style`.
    static func subject(_ change: Change, style: SubjectLineConvention.Style) -> String {
        let core = "\(change.action.verb) \(change.target)"
        switch style {
        case .areaColon: return "\(change.area): \(core)"
        case .severityTag: return "\(change.action.severity): \(change.area): \(core)"
        case .imperative: return TextKit.capitalized(core)
        case .ticket: return "[\(change.ticket)] \(TextKit.capitalized(core))"
        case .conventional: return "\(change.action.commitType)(\(change.area)): \(change.target)"
        case .pastTense: return "\(TextKit.capitalized(change.action.pastTense)) \(change.target) (\(change.area))"
        case .plain: return core
        }
    }

    /// A 100-200 word email: context first, the change in the middle, noise around it.
    static func write(_ change: Change, project: Project, area: Area, rng: inout SplitMix64) -> String {
        var parts: [String] = []
        parts.append(rng.pick(greetings))
        parts.append(
            "\(rng.pick(contexts)) \(project.product) \(rng.pick(versions)) on \(rng.pick(environments)), "
                + "\(rng.pick(area.symptoms)).")
        parts.append(description(change, rng: &rng))
        var extras = rng.shuffled([0, 1, 2, 3, 4])
        extras = Array(extras.prefix(3 + rng.below(2)))
        for k in extras {
            switch k {
            case 0:
                parts.append("The log shows: [\(rng.below(90000) + 1000).\(rng.below(900000) + 100000)] \(rng.pick(area.logLines)) "
                    + "at \(rng.pick(area.functions))+0x\(String(rng.below(4096), radix: 16))/0x\(String(4096 + rng.below(4096), radix: 16))")
            case 1:
                parts.append("Steps to reproduce: 1) start \(project.product) with \(rng.pick(flags)); 2) \(rng.pick(area.triggers)); "
                    + "3) wait about \(2 + rng.below(58)) seconds and check \(rng.pick(area.functions)).")
            case 2:
                parts.append("Ticket: \(change.ticket). See https://\(project.host)/issues/\(change.ticket.lowercased()) for the full trace and the bisect log.")
            case 3:
                parts.append("\(rng.pick(reviewers)) \(rng.pick(reviewNotes)) \(rng.pick(area.functions)), and \(rng.pick(testNotes)).")
            default:
                parts.append("Tested on \(rng.pick(environments)) and \(rng.pick(environments)) with \(rng.pick(flags)); "
                    + "no regressions in the \(area.name) self-tests (\(100 + rng.below(900)) passed, \(rng.below(3)) skipped).")
            }
        }
        if !parts.contains(where: { $0.hasPrefix("Ticket:") }) { parts.append("Ticket: \(change.ticket).") }
        parts.append("Signed-off-by: \(rng.pick(reviewers)) <\(rng.pick(["dev", "maint", "ci"]))@\(project.host)>")
        while TextKit.wordCount(parts) < 100 {
            parts.insert(rng.pick(fillers), at: parts.count - 1)
        }
        return TextKit.paragraph(parts)
    }

    /// The sentence that says what the change is, worded unlike the subject.
    static func description(_ change: Change, rng: inout SplitMix64) -> String {
        let target = change.target
        switch change.action {
        case .fixCrash:
            return "It turns out the crash comes from a \(target) path; this patch makes sure it cannot trigger any more."
        case .fix:
            return "The root cause is a bug in the \(target) handling, and this change corrects it \(rng.pick(["without touching the ABI", "in the smallest way I could find", "for all callers"]))."
        case .add:
            return "This patch introduces \(target), which several users have asked for on the list."
        case .remove:
            return "Nobody has used \(target) since the last rewrite, so this series drops it entirely."
        case .speedUp:
            return "Profiling pointed at \(target) as the hot spot, and with this change it takes about \(20 + rng.below(70))% less time."
        case .document:
            return "The behaviour of \(target) was never written down anywhere, so this adds the missing notes."
        case .refactor:
            return "This reorganises \(target) so that the next series can build on it; no functional change intended."
        }
    }

    static func targets(for action: Action, area: Area) -> [String] {
        switch action {
        case .fixCrash, .fix: area.bugs
        case .add: area.features
        case .remove: area.features.map { "the legacy " + $0.replacingOccurrences(of: "support for ", with: "") }
        case .speedUp, .refactor: area.hotPaths
        case .document: area.features + area.hotPaths
        }
    }

    // MARK: - Vocabulary

    struct Area: Sendable {
        var name: String
        var bugs: [String]
        var features: [String]
        var hotPaths: [String]
        var symptoms: [String]
        var logLines: [String]
        var functions: [String]
        var triggers: [String]
    }

    struct Project: Sendable {
        var name: String
        var product: String
        var host: String
        var ticketPrefix: String
        var areas: [Area]
    }

    static let kernelAreas = [
        Area(name: "net", bugs: ["use-after-free in tcp_close", "refcount leak in sock_release", "race in udp_recvmsg"],
             features: ["support for tcp fast open on ipv6", "a sysctl for the receive buffer"],
             hotPaths: ["the gro receive path", "skb allocation in the rx loop"],
             symptoms: ["the box panics under heavy network load", "connections hang after a few hours"],
             logLines: ["BUG: KASAN: use-after-free in tcp_close", "WARNING: CPU: 3 PID: 812 at net/core/sock.c:2110"],
             functions: ["tcp_close", "sock_release", "udp_recvmsg"],
             triggers: ["open 10k tcp connections with wrk", "flood the interface with iperf3 -u"]),
        Area(name: "mm", bugs: ["null dereference in page_vma_mapped_walk", "leak in the slab shrinker"],
             features: ["support for per-memcg swap limits", "a tracepoint for compaction stalls"],
             hotPaths: ["the page fault path", "lru list scanning"],
             symptoms: ["the oom killer fires with plenty of free memory", "kswapd spins at 100% cpu"],
             logLines: ["BUG: unable to handle page fault for address: 0000000000000008", "kswapd0: page allocation failure: order:0"],
             functions: ["page_vma_mapped_walk", "shrink_slab", "do_anonymous_page"],
             triggers: ["run stress-ng --vm 8", "fill the page cache with fio"]),
        Area(name: "sched", bugs: ["missed wakeup in try_to_wake_up", "overflow in the load average"],
             features: ["support for core scheduling on arm64", "a knob for the migration cost"],
             hotPaths: ["the idle balance", "runqueue selection"],
             symptoms: ["latency spikes of several hundred milliseconds", "one core stays idle while others are busy"],
             logLines: ["rcu: INFO: rcu_sched self-detected stall on CPU", "sched: RT throttling activated"],
             functions: ["try_to_wake_up", "load_balance", "pick_next_task_fair"],
             triggers: ["pin a busy loop to every cpu", "run hackbench with 40 groups"]),
    ]

    static let proxyAreas = [
        Area(name: "h2", bugs: ["stream leak on early reset", "wrong window update after a settings frame"],
             features: ["support for the extended connect method", "a counter for refused streams"],
             hotPaths: ["header decoding", "the frame demuxer"],
             symptoms: ["clients see random 502 errors", "memory grows until the worker is killed"],
             logLines: ["h2: stream 131 reset by peer, dropping", "ALERT: worker 4 exited with code 134 (Aborted)"],
             functions: ["h2c_frt_handle_rst", "h2_process_demux", "h2s_destroy"],
             triggers: ["send 500 concurrent streams with h2load", "reset streams right after the headers"]),
        Area(name: "ssl", bugs: ["double free on handshake failure", "crash when reloading certificates"],
             features: ["support for ocsp stapling on the backend", "a keyword for the cipher suites"],
             hotPaths: ["the session cache lookup", "certificate loading"],
             symptoms: ["the process aborts during a reload", "handshakes fail for about one client in fifty"],
             logLines: ["SSL handshake failure (error:0A000126)", "free(): double free detected in tcache 2"],
             functions: ["ssl_sock_handshake", "ssl_sock_load_cert", "ssl_sess_new"],
             triggers: ["reload with 2000 certificates", "hammer the frontend with openssl s_time"]),
        Area(name: "cache", bugs: ["stale object served after a purge", "integer overflow in the age header"],
             features: ["support for vary on accept-encoding", "a setting for the maximum object size"],
             hotPaths: ["the lookup in the cache tree", "object eviction"],
             symptoms: ["users get outdated pages for minutes", "the hit ratio drops to zero"],
             logLines: ["cache: object 0x7f3a2c too large, not stored", "WARNING: age header overflow"],
             functions: ["cache_lookup", "cache_store_http", "cache_evict"],
             triggers: ["purge a popular url while it is requested", "request 1 GB objects"]),
    ]

    static let webAreas = [
        Area(name: "auth", bugs: ["session fixation after password reset", "token refresh race"],
             features: ["support for webauthn login", "a rate limit on login attempts"],
             hotPaths: ["permission checks", "the session store"],
             symptoms: ["users are logged out at random", "the login page takes seconds to load"],
             logLines: ["ERROR auth.views: TokenExpired for user_id=4411", "Traceback (most recent call last): File \"auth/tokens.py\", line 88"],
             functions: ["refresh_token", "check_permissions", "login_view"],
             triggers: ["log in from two browsers at once", "reset the password and reuse the old link"]),
        Area(name: "api", bugs: ["pagination off by one in the search endpoint", "500 error on empty filters"],
             features: ["support for cursor pagination", "an endpoint for bulk exports"],
             hotPaths: ["serialisation of large result sets", "the search query builder"],
             symptoms: ["the mobile app shows duplicate rows", "exports time out after thirty seconds"],
             logLines: ["ERROR api.search: IndexError: list index out of range", "WARNING slow query 4.2s: SELECT * FROM items"],
             functions: ["search_items", "paginate", "export_csv"],
             triggers: ["request page 2 with 50 items per page", "send an empty filter object"]),
        Area(name: "billing", bugs: ["rounding error in prorated invoices", "duplicate charge on retry"],
             features: ["support for annual plans", "a webhook for failed payments"],
             hotPaths: ["invoice rendering", "the nightly reconciliation job"],
             symptoms: ["some customers were charged twice", "invoices are off by a cent"],
             logLines: ["ERROR billing.tasks: IntegrityError: duplicate key value", "WARNING reconciliation took 41 minutes"],
             functions: ["create_invoice", "charge_customer", "reconcile"],
             triggers: ["change plan in the middle of the month", "let the payment provider time out"]),
    ]

    static let projects = [
        Project(name: "kernel", product: "the kernel", host: "lists.kernel.example", ticketPrefix: "KRN", areas: kernelAreas),
        Project(name: "proxy", product: "the load balancer", host: "proxy.example.org", ticketPrefix: "LB", areas: proxyAreas),
        Project(name: "webapp", product: "the web app", host: "tracker.example.com", ticketPrefix: "WEB", areas: webAreas),
    ]

    static let greetings = [
        "Hi all,", "Hello,", "Hi everyone,", "Dear maintainers,", "Hey folks,", "Hi,",
    ]
    static let contexts = [
        "While testing", "During the release testing of", "Last week our on-call team noticed that after upgrading",
        "When we rolled out", "A customer reported that with",
    ]
    static let versions = ["6.2-rc4", "v2.8.1", "release 14.3", "the current main branch", "build 2291", "the latest nightly"]
    static let environments = [
        "our staging cluster", "a 64-core arm64 box", "the ci runners", "two bare-metal x86 hosts", "a small vm with 2 GB of ram",
    ]
    static let flags = ["the default config", "debug logging enabled", "--threads 8", "lockdep turned on", "a 1 MB buffer"]
    static let reviewers = ["Ana Lima", "Kenji Sato", "Marta Novak", "Ravi Iyer", "Olga Petrova", "Tom Becker"]
    static let reviewNotes = [
        "suggested a simpler check in", "pointed out a second caller of", "asked for a comment above", "reviewed the locking in",
    ]
    static let testNotes = [
        "the selftests pass", "I ran the full regression suite overnight", "lockdep is quiet now", "valgrind reports nothing",
    ]
    static let fillers = [
        "I am not sure this is the best place for the check, so comments are welcome.",
        "A backport to the stable branches would be nice once this has had some testing.",
        "Sorry for the long mail, the details seemed worth keeping.",
        "There may be other places with the same pattern; I only looked at the obvious ones.",
    ]
}
