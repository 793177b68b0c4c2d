/// Applies a key typed into a `/` filter: characters append, Backspace deletes, `C-u` clears,
/// Enter ends the editing, Esc / `C-c` clear it and end. Returns false for a key it ignores.
func editFilter(_ text: inout String, editing: inout Bool, key: Key) -> Bool {
    switch key {
    case .char(let c): text.append(c)
    case .backspace: if !text.isEmpty { text.removeLast() }
    case .ctrl("u"): text = ""
    case .enter: editing = false
    case .escape, .ctrl("c"):
        text = ""
        editing = false
    default: return false
    }
    return true
}
