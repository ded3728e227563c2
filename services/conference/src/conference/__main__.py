from conference.bootstrap import SPEC
from convene_delivery.runtime import main

main(SPEC)
