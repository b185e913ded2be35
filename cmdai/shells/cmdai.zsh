# cmdai shell integration for zsh. Add to ~/.zshrc (after compinit and other prompt tools):
#   eval "$(cmdai init zsh)"
# @KEYNAME@ sends the line to cmdai and puts the proposed command in its place (an empty line:
# a fix for the last command); `cmdai fix` proposes one too. Sourcing this twice is harmless.
if [[ -o interactive ]]; then

typeset -ga __cmdai_cmd
__cmdai_cmd=(@COMMAND@)
typeset -g __cmdai_key=@KEY@
typeset -g __cmdai_status=${__cmdai_status:-0} __cmdai_last=${__cmdai_last-} __cmdai_running=
typeset -g __cmdai_in_fix=

# The last command line and its exit status (never its output), kept for cmdai fix.
__cmdai_preexec() { __cmdai_running=$1 }
__cmdai_precmd() {
    local st=$?
    if [[ -n $__cmdai_in_fix ]]; then
        __cmdai_in_fix=
    elif [[ -n $__cmdai_running ]]; then
        __cmdai_status=$st
        __cmdai_last=$__cmdai_running
    fi
    __cmdai_running=
    return $st
}

cmdai() {
    if [[ ${1-} == fix ]]; then
        __cmdai_in_fix=1
        CMDAI_LAST_COMMAND=$__cmdai_last CMDAI_LAST_STATUS=$__cmdai_status "${__cmdai_cmd[@]}" "$@"
    else
        "${__cmdai_cmd[@]}" "$@"
    fi
}

__cmdai_widget() {
    local out st
    zle -I  # what cmdai prints goes above the prompt, which is drawn again after
    if [[ -z ${BUFFER//[[:space:]]/} ]]; then
        out=$(CMDAI_LAST_COMMAND=$__cmdai_last CMDAI_LAST_STATUS=$__cmdai_status \
            "${__cmdai_cmd[@]}" widget </dev/tty)
    else
        out=$("${__cmdai_cmd[@]}" widget -- "$BUFFER" </dev/tty)
    fi
    st=$?
    # Only a proposal replaces the line: a block, a failure or Ctrl-C leaves it as it was.
    if (( st == 0 )) && [[ -n $out ]]; then
        BUFFER=$out
        CURSOR=${#BUFFER}
    fi
}
zle -N __cmdai_widget

# First in line, so they see the command's own $? (and hand it on unchanged).
precmd_functions=(__cmdai_precmd ${precmd_functions:#__cmdai_precmd})
preexec_functions=(${preexec_functions:#__cmdai_preexec} __cmdai_preexec)

if [[ -n $__cmdai_key ]]; then
    typeset -g __cmdai_bound=${${(z)$(bindkey -- "$__cmdai_key")}[2]}
    case $__cmdai_bound in
        ""|undefined-key|__cmdai_widget|get-line|self-insert)
            bindkey -- "$__cmdai_key" __cmdai_widget ;;
        *)
            print -u2 -r -- "cmdai: "@KEYNAME@" is already bound (to $__cmdai_bound); not binding it. Set shell_key (or CMDAI_SHELL_KEY) to another key, or none." ;;
    esac
    unset __cmdai_bound
fi

fi
