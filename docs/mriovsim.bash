# bash completion for mriovsim: commands, each command's options, and topology files (the
# *.yaml files here, and the topologies installed beside the program in
# <prefix>/share/mriovsim/topologies/). Installed as share/bash-completion/completions/mriovsim.

_mriovsim_topologies()
{
	local bin dir
	bin=$(command -v "${COMP_WORDS[0]}" 2>/dev/null) || return
	dir=$(dirname -- "$bin")/../share/mriovsim/topologies
	[ -d "$dir" ] || return
	dir=$(cd -- "$dir" && pwd)
	compgen -G "$dir/*.yaml" | grep -- "^$cur" 2>/dev/null
}

_mriovsim()
{
	local cur prev cmd opts
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "run check report sweep capacity interference schema --help --version" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $prev in
	--out)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--trace|--platform)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--by)
		COMPREPLY=($(compgen -W "host workload" -- "$cur"))
		return ;;
	--duration|--warmup|--seed|--seeds|--jobs|--set|--vary|--trace-window|--only-workloads|\
	--slo|--workloads|--max|--precision)
		return ;;
	esac
	case $cmd in
	run) opts="--out --duration --warmup --seed --set --no-plots --quiet --trace --trace-window
		--only-workloads" ;;
	check) opts="--set --platform" ;;
	sweep) opts="--vary --seeds --jobs --out --emit-jobs" ;;
	capacity) opts="--slo --workloads --max --precision --seeds --jobs --out --set" ;;
	interference) opts="--by --jobs --out --set --emit-jobs" ;;
	report)
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	*) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts --cfg= --log=" -- "$cur"))
		return
	fi
	# TOPOLOGY: YAML files and directories here, and the installed topologies
	COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -f -X '!*.yml' -- "$cur")
		   $(compgen -d -- "$cur")
		   $(_mriovsim_topologies))
}

complete -o filenames -F _mriovsim mriovsim
