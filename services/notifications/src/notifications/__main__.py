from convene_service.command_line import main
from notifications.bootstrap import SPEC

main(SPEC)
