import Basics

/// The project's one seeded generator, which lives in `Basics` (below every layer); the name here
/// keeps `Numerics.SplitMix64` and the training code that names it through Numerics unchanged.
public typealias SplitMix64 = Basics.SplitMix64
