import Foundation

/// A run that cannot be set up as asked (a bad flag value, a bad LLM address).
public struct RunSetupError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
