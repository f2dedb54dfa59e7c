"""Reports cycles between the top-level modules of one crate.

Usage: modcycles.py CRATE/src [-v]

Prints `cycle: [...]` for each strongly connected set of top-level modules;
`crate` stands for lib.rs (or main.rs). A module depends on another when it
names it by a path: `crate::m::...`, `super::...`, `self::...` (resolved from
where it is written), in `use` trees or in code; lib.rs also depends on the
modules it names directly (`m::f()`, `pub use m::T`). A module depends on
`crate` when it uses an item lib.rs defines; a name lib.rs only re-exports
(`pub use m::T` used as `crate::T`) counts as a use of `m`.

Comments (doc comments included), string and character literals, and items
under `#[cfg(test)]` (inline test modules, and the files of `#[cfg(test)] mod
x;`) are left out: test code may reach anywhere.
"""
import os
import re
import sys

IDENT = re.compile(r'(?:r#)?[A-Za-z_][A-Za-z0-9_]*')


def strip(src):
    """The source with comments, strings and char literals removed."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('//', i):
            j = src.find('\n', i)
            i = n if j < 0 else j
            continue
        if src.startswith('/*', i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith('/*', i):
                    depth, i = depth + 1, i + 2
                elif src.startswith('*/', i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            out.append(' ')
            continue
        prev_ident = i > 0 and (src[i - 1].isalnum() or src[i - 1] == '_')
        m = re.match(r'(b?r)(#*)"', src[i:i + 64]) if not prev_ident else None
        if m:
            end = src.find('"' + m.group(2), i + m.end())
            i = n if end < 0 else end + 1 + len(m.group(2))
            out.append(' "" ')
            continue
        if c == '"' or (c == 'b' and src.startswith('b"', i) and not prev_ident):
            i += 2 if c == 'b' else 1
            while i < n and src[i] != '"':
                i += 2 if src[i] == '\\' else 1
            i += 1
            out.append(' "" ')
            continue
        if c == "'" or (c == 'b' and src.startswith("b'", i) and not prev_ident):
            k = i + (2 if c == 'b' else 1)
            if k < n and src[k] == '\\':
                end = src.find("'", k + 2)
                i = n if end < 0 else end + 1
                out.append(" '' ")
                continue
            if k + 1 < n and src[k + 1] == "'":
                i = k + 2
                out.append(" '' ")
                continue
            # A lifetime or label.
        out.append(c)
        i += 1
    return ''.join(out)


TOKEN = re.compile(r'\s+|(?:r#)?[A-Za-z_][A-Za-z0-9_]*|::|\$|.', re.S)


def tokens(src):
    return [t for t in TOKEN.findall(src) if not t.isspace()]


def skip_group(toks, i):
    """Index just past the bracketed group opening at toks[i]."""
    pairs = {'(': ')', '[': ']', '{': '}'}
    stack = [pairs[toks[i]]]
    i += 1
    while i < len(toks) and stack:
        t = toks[i]
        if t in pairs:
            stack.append(pairs[t])
        elif stack and t == stack[-1]:
            stack.pop()
        i += 1
    return i


ITEM_KEYWORDS = {
    'pub', 'fn', 'impl', 'struct', 'enum', 'union', 'mod', 'use', 'const', 'static',
    'type', 'trait', 'macro_rules', 'extern', 'unsafe', 'async', 'let',
}


def skip_item(toks, i):
    """Index just past the item starting at toks[i] (after its attributes).

    A field, variant or argument (anything not starting with an item keyword)
    ends at a `,` or before the `}` or `)` that closes its list.
    """
    while i + 1 < len(toks) and toks[i] == '#' and toks[i + 1] == '[':
        i = skip_group(toks, i + 1)
    item = i < len(toks) and toks[i] in ITEM_KEYWORDS
    while i < len(toks):
        t = toks[i]
        if t == ';':
            return i + 1
        if t == '{' and item:
            return skip_group(toks, i)
        if not item and t == ',':
            return i + 1
        if not item and t in '})]':
            return i
        if t in '([{':
            i = skip_group(toks, i)
            continue
        i += 1
    return i


def is_cfg_test(attr):
    """Whether attribute tokens (inside `#[...]`) are `cfg(test)`."""
    return attr == ['cfg', '(', 'test', ')']


def use_paths(toks, i):
    """The flattened paths of the use tree at toks[i]; returns (paths, index past `;`)."""
    paths = []

    def tree(i, prefix):
        path = list(prefix)
        while i < len(toks):
            t = toks[i]
            if t == '{':
                i += 1
                while i < len(toks) and toks[i] != '}':
                    i = tree(i, path)
                    if i < len(toks) and toks[i] == ',':
                        i += 1
                return i + 1
            if t == '*':
                paths.append((path + ['*'], None))
                return i + 1
            if t == '::':
                i += 1
                continue
            if t == '$' and i + 1 < len(toks):
                path.append('$' + toks[i + 1])
                i += 2
                continue
            if IDENT.fullmatch(t) and t != 'as':
                path.append(t)
                i += 1
                continue
            if t == 'as':
                paths.append((path, toks[i + 1]))
                return i + 2
            break
        if path and path != list(prefix):
            paths.append((path, None))
        return i

    i = tree(i, [])
    while i < len(toks) and toks[i] != ';':
        i += 1
    return paths, i + 1


def scan(toks, root_mod):
    """Walks a file's tokens. Returns (uses, paths, test_children, defined).

    uses: (module path, flattened use path, alias) for every use declaration;
    paths: (module path, path, first token follows `::`) for every other path;
    test_children: names of `#[cfg(test)] mod x;` declared at the file's top;
    defined: names of the items the file defines at its top level.
    """
    uses, paths, test_children, defined = [], [], [], set()
    stack = []  # (inline module name, brace depth at which it closes)
    depth = 0
    i = 0
    if toks[:6] == ['#', '!', '[', 'cfg', '(', 'test'] and toks[6:8] == [')', ']']:
        return uses, paths, None, defined
    while i < len(toks):
        t = toks[i]
        if t == '#' and i + 1 < len(toks) and toks[i + 1] == '[':
            end = skip_group(toks, i + 1)
            if is_cfg_test(toks[i + 2:end - 1]):
                # A `mod x;` under cfg(test): the file of x is test code.
                k = end
                while k + 1 < len(toks) and toks[k] == '#' and toks[k + 1] == '[':
                    k = skip_group(toks, k + 1)
                rest = toks[k:k + 8]
                if not stack and 'mod' in rest:
                    m = rest.index('mod')
                    if rest[m + 2:m + 3] == [';']:
                        test_children.append(rest[m + 1])
                i = skip_item(toks, end)
                continue
            i = end
            continue
        if t == 'mod' and i + 2 < len(toks) and IDENT.fullmatch(toks[i + 1]) and toks[i + 2] == '{':
            stack.append((toks[i + 1], depth))
            depth += 1
            i += 3
            continue
        if t == '{':
            depth += 1
        elif t == '}':
            depth -= 1
            if stack and stack[-1][1] == depth:
                stack.pop()
        cur = root_mod + [s for s, _ in stack]
        if depth == 0 and i + 1 < len(toks) and t in DEFINING:
            j = i + 2 if toks[i + 1] == '!' else i + 1
            if j < len(toks) and IDENT.fullmatch(toks[j]):
                defined.add(toks[j])
        if t == 'use':
            ps, i = use_paths(toks, i + 1)
            for p, alias in ps:
                uses.append((cur, p, alias))
            continue
        if IDENT.fullmatch(t) or (t == '$' and i + 1 < len(toks) and toks[i + 1] == 'crate'):
            prev = toks[i - 1] if i else ''
            if t == '$':
                seg, i = ['$crate'], i + 2
            else:
                seg, i = [t], i + 1
            while i + 1 < len(toks) and toks[i] == '::' and IDENT.fullmatch(toks[i + 1]):
                seg.append(toks[i + 1])
                i += 2
            if len(seg) > 1 and prev not in ('::', 'in'):
                paths.append((cur, seg))
            continue
        i += 1
    return uses, paths, test_children, defined


DEFINING = {'struct', 'enum', 'union', 'fn', 'trait', 'type', 'const', 'static', 'macro_rules', 'mod'}


def main():
    root = sys.argv[1]
    files = {}
    for dp, dirs, fs in os.walk(root):
        if os.path.abspath(dp) == os.path.abspath(root) and 'bin' in dirs:
            dirs.remove('bin')  # each file there is a crate of its own
        for f in fs:
            if not f.endswith('.rs'):
                continue
            p = os.path.join(dp, f)
            parts = os.path.relpath(p, root)[:-3].split(os.sep)
            if parts[-1] in ('mod', 'lib', 'main'):
                parts = parts[:-1]
            with open(p, encoding='utf-8') as fh:
                files[tuple(parts)] = fh.read()

    scanned = {}
    for mod, src in files.items():
        scanned[mod] = scan(tokens(strip(src)), list(mod))
    # Files that are test modules, and everything under them.
    test = set()
    for mod, (_, _, children, _) in scanned.items():
        if children is None:
            test.add(mod)
        for c in children or ():
            test.add(mod + (c,))
    live = {m for m in scanned if not any(m[:k] in test for k in range(1, len(m) + 1))}

    top = {m[0] for m in live if m}
    root_src = scanned.get((), ([], [], [], set()))
    top |= {m for m in re.findall(r'\bmod\s+([A-Za-z_]\w*)\s*\{', strip(files.get((), '')))}

    # Names lib.rs imports, and where from (a top-level module, or None when
    # from outside the crate); glob imports from top-level modules.
    imported, globs = {}, set()
    for cur, p, alias in root_src[0]:
        if cur:
            continue
        start = p[1:] if p[0] in ('crate', 'self', '$crate') else p
        src_mod = start[0] if start and start[0] in top else None
        if p[-1] == '*':
            if src_mod:
                globs.add(src_mod)
            continue
        name = alias or (p[-2] if p[-1] == 'self' and len(p) > 1 else p[-1])
        if name != '_':
            imported[name] = src_mod

    def resolve(cur, seg):
        first = seg[0]
        if first in ('crate', '$crate'):
            base, rest = [], seg[1:]
        elif first == 'self':
            base, rest = list(cur), seg[1:]
        elif first == 'super':
            base, rest = list(cur), seg
            while rest and rest[0] == 'super':
                base, rest = base[:-1], rest[1:]
        elif not cur and first in top:
            base, rest = [], seg
        else:
            return set()
        full = base + rest
        if not full or full[0] == 'self':
            return set()
        if full[0] == '*':
            return {'crate'} if not base else {base[0]}
        name = full[0]
        if name in top:
            return {name}
        if name in root_src[3]:
            return {'crate'}
        if name in imported:
            src_mod = imported[name]
            return {src_mod} if src_mod else set()
        # A glob import: the module that defines the name, else every one.
        owners = {m for m in globs if (m,) in scanned and name in scanned[(m,)][3]}
        return owners or set(globs) or {'crate'}

    g = {}
    for mod in live:
        uses, paths, _, _ = scanned[mod]
        g.setdefault(mod[0] if mod else 'crate', set())
        for cur, p in [(c, p) for c, p, _ in uses] + paths:
            me = cur[0] if cur else 'crate'
            g.setdefault(me, set()).update(resolve(cur, p) - {me})

    idx, low, st, on, out, c = {}, {}, [], set(), [], [0]

    def sc(v):
        idx[v] = low[v] = c[0]
        c[0] += 1
        st.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in idx:
                sc(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], idx[w])
        if low[v] == idx[v]:
            comp = []
            while True:
                w = st.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in idx:
            sc(v)
    for comp in out:
        print('cycle:', sorted(comp))
    if '-v' in sys.argv:
        for k in sorted(g):
            print(k, '->', sorted(g[k]))


main()
