# cmdai shell integration for fish. Add to ~/.config/fish/config.fish:
#   cmdai init fish | source
# @KEYNAME@ sends the line to cmdai and puts the proposed command in its place (an empty line:
# a fix for the last command); `cmdai fix` proposes one too. Sourcing this twice is harmless.
if status is-interactive

set -g __cmdai_cmd @COMMAND@
set -g __cmdai_key @KEY@
set -q __cmdai_status; or set -g __cmdai_status 0
set -q __cmdai_last; or set -g __cmdai_last ''
set -g __cmdai_in_fix ''

# The last command line and its exit status (never its output), kept for cmdai fix.
function __cmdai_postexec --on-event fish_postexec
    set -l st $status
    if test -n "$__cmdai_in_fix"
        set -g __cmdai_in_fix ''
    else if string length -q -- "$argv[1]"
        set -g __cmdai_status $st
        set -g __cmdai_last $argv[1]
    end
end

function cmdai --description 'cmdai, with the last command for cmdai fix'
    if test "$argv[1]" = fix
        set -g __cmdai_in_fix 1
        CMDAI_LAST_COMMAND=$__cmdai_last CMDAI_LAST_STATUS=$__cmdai_status $__cmdai_cmd $argv
    else
        $__cmdai_cmd $argv
    end
end

function __cmdai_widget
    set -l line (commandline | string collect)
    set -l out
    echo >&2  # what cmdai prints goes below the prompt line; the prompt is drawn again after
    if string match -qr '^\s*$' -- "$line"
        set out (CMDAI_LAST_COMMAND=$__cmdai_last CMDAI_LAST_STATUS=$__cmdai_status $__cmdai_cmd widget </dev/tty)
    else
        set out ($__cmdai_cmd widget -- "$line" </dev/tty)
    end
    set -l st $status
    # Only a proposal replaces the line: a block, a failure or Ctrl-C leaves it as it was.
    if test $st -eq 0; and test (count $out) -gt 0
        commandline -r -- (string join \n -- $out)
        # The command is bash (what the gate checked): what fish cannot read runs under bash.
        if not commandline --is-valid
            commandline -r -- "bash -c "(string escape -- (string join \n -- $out))
        end
        commandline -f end-of-line
    end
    commandline -f repaint
end

if test -n "$__cmdai_key"
    # Only a binding the user made counts: fish's own (preset) bindings stay underneath ours.
    set -l bound (bind --user $__cmdai_key 2>/dev/null | string replace -r '^bind (-k )?\S+ ' '')
    if test -z "$bound"; or test "$bound" = __cmdai_widget
        bind $__cmdai_key __cmdai_widget
        if test "$fish_key_bindings" = fish_vi_key_bindings
            bind -M insert $__cmdai_key __cmdai_widget
        end
    else
        printf 'cmdai: %s is already bound (to %s); not binding it. Set shell_key (or CMDAI_SHELL_KEY) to another key, or none.\n' @KEYNAME@ "$bound" >&2
    end
end

end
