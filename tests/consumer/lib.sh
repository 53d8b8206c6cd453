# Shared by the consumer scripts (run.sh, vendor.sh): sourced, not run.
#
#   consumer_name=<what the output comes from>   used in the failure message
#   step <title>                                 prints a section title
#   expect <output file> <text>...               fails, showing the output, unless the
#                                                file holds every text

consumer_name=${consumer_name:-consumer}

step() { printf '\n== %s\n' "$*"; }

expect() {
    local out=$1
    shift
    for text in "$@"; do
        if ! grep -qF -- "$text" "$out"; then
            printf '%s output lacks "%s"; it was:\n' "$consumer_name" "$text" >&2
            cat "$out" >&2
            exit 1
        fi
    done
}
