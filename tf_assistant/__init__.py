"""The definition assistant's generators: documents and a chat in, a draft definition set
out. Each generator is a black box behind `tf_events.assistant.generator.Generator`."""
