from convene_service.command_line import main
from membership.bootstrap import SPEC

main(SPEC)
