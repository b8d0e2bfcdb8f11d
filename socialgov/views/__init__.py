"""Read-only views of the registry for one command: show, people show, history."""
