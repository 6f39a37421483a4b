"""newsdesk's reader: a MiniLM cross-encoder newsdesk trains on its own labelled questions.

``model`` (the network, loading and saving the shipped weights), ``examples`` (labelled
questions to sentence pairs), ``training`` (the CPU training loop and its measures).
"""
