from conference.bootstrap import SPEC
from convene_service.command_line import main

main(SPEC)
