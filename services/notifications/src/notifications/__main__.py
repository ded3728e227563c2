from convene_delivery.runtime import main
from notifications.bootstrap import SPEC

main(SPEC)
