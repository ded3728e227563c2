# Reads a deploy/env/<service>.env as `docker run --env-file` does: NAME=value a line, the value
# taken literally (no quotes, no $ expansion), blank lines and # lines skipped. So one file serves
# both the local stack and docker, and a value is never quoted (docker would keep the quotes).
export_env_file() { # path
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line#"${line%%[![:space:]]*}"}
    case $line in '' | '#'*) continue ;; esac
    export "$line"
  done <"$1"
}
