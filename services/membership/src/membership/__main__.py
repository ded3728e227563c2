from convene_delivery.runtime import main
from membership.bootstrap import SPEC

main(SPEC)
