import LLMInterface

extension ChatMessage {
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}

/// SmolLM2's ChatML template (`tokenizer.chat_template`), written out by hand:
/// `<|im_start|>{role}\n{content}<|im_end|>\n` per message, then `<|im_start|>assistant\n`.
///
/// The Jinja template injects "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
/// when the first message is not a system message. That prompt measurably hurts short factual
/// answers (see the reference README), so the engine decides explicitly: `SystemPrompt.engineDefault`
/// is a one-line instruction asking for short, direct answers. `.smolLM` reproduces the Jinja
/// template exactly; `.none` sends no system block at all.
public enum ChatTemplate {
    /// Which system prompt is sent when the messages do not start with a system message.
    public enum SystemPrompt: Sendable, Hashable {
        /// No system block.
        case none
        /// The template's default, as the Jinja template renders it.
        case smolLM
        /// A system block with this text.
        case custom(String)

        /// The engine's choice: a short instruction that keeps answers brief.
        public static let engineDefault = SystemPrompt.custom("You are a helpful assistant. Answer briefly and directly.")

        /// The SmolLM default system prompt text.
        public static let smolLMText = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
    }

    /// The ChatML text of `messages`, ending with the assistant header when `addGenerationPrompt`.
    /// Encode it with `parseSpecial: true`.
    public static func format(_ messages: [ChatMessage], systemPrompt: SystemPrompt = .engineDefault,
                              addGenerationPrompt: Bool = true) -> String {
        var text = ""
        if messages.first?.role != "system" {
            switch systemPrompt {
            case .none: break
            case .smolLM: text += "<|im_start|>system\n\(SystemPrompt.smolLMText)<|im_end|>\n"
            case .custom(let s): text += "<|im_start|>system\n\(s)<|im_end|>\n"
            }
        }
        for m in messages { text += "<|im_start|>\(m.role)\n\(m.content)<|im_end|>\n" }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }
}
