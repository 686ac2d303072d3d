// The shell side of completion: each script hands the words typed so far to
// `gantry __complete -- WORDS...` and offers the lines it prints.
export type Shell = 'bash' | 'zsh' | 'fish';

export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

export function completionScript(shell: Shell, bin = 'gantry'): string {
  switch (shell) {
    case 'bash':
      return `# gantry completion for bash: source it, or put it in /etc/bash_completion.d/
_${bin}_complete() {
  local IFS=$'\\n'
  COMPREPLY=($(${bin} __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  # SERVICE: prefixes of cp continue with the path: no space after them
  [[ \${#COMPREPLY[@]} -eq 1 && \${COMPREPLY[0]} == *: ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -F _${bin}_complete ${bin}
`;
    case 'zsh':
      return `#compdef ${bin}
# gantry completion for zsh: source it, or save it as _${bin} in your $fpath
_${bin}() {
  local -a reply
  reply=("\${(@f)$(${bin} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -- "\${(@)reply:#}"
}
compdef _${bin} ${bin}
`;
    case 'fish':
      return `# gantry completion for fish: save it as ~/.config/fish/completions/${bin}.fish
function __${bin}_complete
  set -l words (commandline -opc) (commandline -ct)
  ${bin} __complete -- $words[2..-1] 2>/dev/null
end
complete -c ${bin} -f -a '(__${bin}_complete)'
`;
  }
}
