"""The definition assistant's write side: conversations that lead to definitions."""
