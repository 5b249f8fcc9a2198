"""Understanding questions and composing answers."""
