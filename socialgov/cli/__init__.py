"""The command-line layer: parse options, call one domain function, render, map errors to exit codes."""
