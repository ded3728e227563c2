from convene_service.runtime import main
from notifications.bootstrap import SPEC

main(SPEC)
