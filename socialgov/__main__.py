from socialgov.cli.app import main

main()
