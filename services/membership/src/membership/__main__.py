from convene_service.runtime import main
from membership.bootstrap import SPEC

main(SPEC)
