from convene_operator.cli import main

main()
