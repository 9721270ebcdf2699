"""Exporters turn a Plan into bytes; they never touch files (the CLI writes atomically)."""
