import DemoData
import Foundation
import HydraEngine
import WorkbenchAPI

/// Whether a head recovered the latent preference the demo generator gave its user.
enum LatentRecovery {
    /// The latent preference of `user` beside what the head learned, scored.
    static func compare(_ user: DemoUser, preference: HeadPreference) -> LatentPreference? {
        if let tags = user.movieTags {
            // the head should raise a tag the more the user prefers it
            let shifts = Dictionary(preference.labelShifts.map { ($0.label, $0.shift) }, uniquingKeysWith: { a, _ in a })
            let ranked = tags.tagRanking.filter { shifts[$0] != nil }
            let recovery = Correlation.spearman(
                ranked.map { shifts[$0]! }, ranked.indices.map { Double(ranked.count - $0) })
            return LatentPreference(
                summary: "favourite tags: " + tags.favouriteTags.joined(separator: ", "),
                measure: "Spearman ρ of the head's label shifts and the latent tag ranking",
                recovery: recovery.isFinite ? recovery : nil)
        }
        if let rating = user.rating {
            let scored = preference.labelShifts.compactMap { shift in Double(shift.label).map { ($0, shift.shift) } }
            let rho = Correlation.spearman(scored.map(\.1), scored.map(\.0))
            let direction = rating.bias == 0 ? nil : Double(rating.bias.signum())
            return LatentPreference(
                summary: "bias \(rating.bias > 0 ? "+" : "")\(rating.bias), spread \(String(format: "%.2f", rating.spread))",
                measure: "Spearman ρ of the head's shifts and the score, signed by the latent bias (none for a neutral rater)",
                recovery: direction.flatMap { rho.isFinite ? rho * $0 : nil })
        }
        if let style = user.headline {
            let weights = Dictionary(preference.featureWeights.map { ($0.feature, $0.correlation) }, uniquingKeysWith: { a, _ in a })
            // each attribute the style fixes, and the sign its feature's correlation should have
            var checks: [(String, Double)] = [
                (CandidateProperty.length.rawValue, style.length == .long ? 1 : -1),
                (CandidateProperty.question.rawValue, style.questionForm ? 1 : -1),
            ]
            switch style.casing {
            case .upper: checks.append((CandidateProperty.upperCase.rawValue, 1))
            case .title: checks.append((CandidateProperty.capitalised.rawValue, 1))
            case .lower: checks.append((CandidateProperty.capitalised.rawValue, -1))
            }
            let decided = checks.compactMap { feature, sign in
                weights[feature].flatMap { $0.isFinite && $0 != 0 ? ($0 * sign > 0) : nil }
            }
            return LatentPreference(
                summary: "\(style.length.rawValue), \(style.casing.rawValue) case\(style.questionForm ? ", questions" : "")"
                    + (style.signature == .none ? "" : ", signature \(style.signature.rawValue)"),
                measure: "share of the style's length, casing and question attributes whose feature the head rewards with the right sign",
                recovery: decided.isEmpty ? nil : Double(decided.filter { $0 }.count) / Double(decided.count))
        }
        return nil
    }

    /// The demo users file beside `directory`'s LaMP files, when the data was generated.
    static func demoUsers(in directory: URL) -> [String: DemoUser] {
        let url = directory.appendingPathComponent(DemoGenerator.usersFileName)
        guard let file = try? DemoUsersFile.read(from: url) else { return [:] }
        return Dictionary(file.users.map { ($0.userID, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
