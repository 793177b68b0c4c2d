import Foundation
import LaMP
import Training

extension HydraConfig {
    /// The settings trained weights depend on *besides their examples*, hashed: the task, the
    /// training group and the seed (model initialisation, shuffling, dropout, fresh heads).
    ///
    /// Saved weights are keyed by this together with the encoder and every training example
    /// (features and labels per user, see `HydraPipeline.fingerprint`). So the settings that
    /// shape the weights only through the examples are deliberately left out here: the
    /// labelling group, retrieval k/r/promptTokens, sampling n/maxNewTokens and trainUsers /
    /// evalUsers change the examples (and so the key) exactly when they change what is learnt;
    /// when they do not (say evalUsers for the shared phase, whose examples are the training
    /// users'), the saved weights stay valid. `methods` and `runtime` never reach the weights.
    /// The ignored seeds inside the TrainingSettings are zeroed so they cannot split the key.
    public var weightsFingerprint: String {
        struct WeightInputs: Encodable {
            var task: LaMPTask
            var seed: UInt64
            var training: TrainingConfig
        }
        var training = self.training
        training.joint.seed = 0
        training.fit.seed = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(WeightInputs(task: task, seed: sampling.seed, training: training))) ?? Data()
        var hash = Fingerprint()
        hash.add(String(decoding: json, as: UTF8.self))
        return hash.hex
    }
}
