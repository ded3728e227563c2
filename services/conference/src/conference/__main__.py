from conference.bootstrap import SPEC
from convene_service.runtime import main

main(SPEC)
