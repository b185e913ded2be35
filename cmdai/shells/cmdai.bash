# cmdai shell integration for bash. Add to ~/.bashrc (after other prompt tools):
#   eval "$(cmdai init bash)"
# @KEYNAME@ sends the line to cmdai and puts the proposed command in its place (an empty line:
# a fix for the last command); `cmdai fix` proposes one too. Sourcing this twice is harmless.
if [[ $- == *i* ]]; then

__cmdai_cmd=(@COMMAND@)
__cmdai_key=@KEY@
__cmdai_status=${__cmdai_status:-0}

# The last command's exit status (never its output), kept for cmdai fix. It runs first in
# PROMPT_COMMAND and hands the status on unchanged to whatever runs after it.
__cmdai_precmd() {
    local status=$?
    if [[ -n ${__cmdai_in_fix-} ]]; then
        __cmdai_in_fix=
    else
        __cmdai_status=$status
    fi
    return "$status"
}

# The last command line from the shell's history, skipping cmdai fix itself. (`history`, not
# `fc -l -1`: run from a key binding, fc counts back from a line that is not in the history.)
__cmdai_last() {
    local entries line last=
    entries=$(HISTTIMEFORMAT= builtin history 3 2>/dev/null) || return 0
    while IFS= read -r line; do
        [[ $line =~ ^[[:space:]]*[0-9]+\*?[[:space:]]+(.*)$ ]] || continue
        line=${BASH_REMATCH[1]}
        case $line in
            "cmdai fix"*|"command cmdai fix"*) ;;
            *) last=$line ;;
        esac
    done <<< "$entries"
    printf '%s' "$last"
}

cmdai() {
    if [[ ${1-} == fix ]]; then
        __cmdai_in_fix=1
        CMDAI_LAST_COMMAND=$(__cmdai_last) CMDAI_LAST_STATUS=$__cmdai_status \
            "${__cmdai_cmd[@]}" "$@"
    else
        "${__cmdai_cmd[@]}" "$@"
    fi
}

__cmdai_widget() {
    local out line=$READLINE_LINE
    if [[ -z ${line//[[:space:]]/} ]]; then
        out=$(CMDAI_LAST_COMMAND=$(__cmdai_last) CMDAI_LAST_STATUS=$__cmdai_status \
            "${__cmdai_cmd[@]}" widget)
    else
        out=$("${__cmdai_cmd[@]}" widget -- "$line")
    fi
    # Only a proposal replaces the line: a block, a failure or Ctrl-C leaves it as it was.
    if [[ $? -eq 0 && -n $out ]]; then
        READLINE_LINE=$out
        READLINE_POINT=${#READLINE_LINE}
    fi
}

case ";${PROMPT_COMMAND-};" in
    *";__cmdai_precmd;"*) ;;
    *) PROMPT_COMMAND="__cmdai_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac

if [[ -n $__cmdai_key ]]; then
    __cmdai_bound=
    while IFS= read -r __cmdai_line; do
        if [[ $__cmdai_line == "\"$__cmdai_key\": "* ]]; then
            __cmdai_bound=${__cmdai_line#*: }
            __cmdai_bound=${__cmdai_bound#\"}
            __cmdai_bound=${__cmdai_bound%\"}
        fi
    done < <(builtin bind -p 2>/dev/null; builtin bind -s 2>/dev/null; builtin bind -X 2>/dev/null)
    case $__cmdai_bound in
        ""|__cmdai_widget|glob-complete-word|self-insert|do-lowercase-version)
            builtin bind -x "\"$__cmdai_key\": __cmdai_widget" ;;
        *)
            printf 'cmdai: %s is already bound (to %s); not binding it. Set shell_key (or CMDAI_SHELL_KEY) to another key, or none.\n' \
                @KEYNAME@ "$__cmdai_bound" >&2 ;;
    esac
    unset __cmdai_bound __cmdai_line
fi

fi
