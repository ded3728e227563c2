#!/bin/bash
# What the compose healthcheck calls: `kafka-topics.sh --bootstrap-server HOST:PORT --list`, a real
# metadata request (ListTopics.java; the official tool's jar is not among the cached ones).
exec java -Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp '/opt/kafka/libs/*:/opt/kafka/bin' ListTopics "$@"
