#!/usr/bin/env python3
"""decodetree.py - instruction decoder generator for nesthv (32-bit Power ISA words).

A small subset of QEMU's decodetree (docs/devel/decodetree.rst).  Encodings
are declared as data; all input files are merged into one decoder, written
as a C header and a C source file.

Usage:
    python3 tools/decodetree.py --out-c decode.c --out-h decode.h a.decode ...

On any error: "FILE:LINE: error: message" on stderr, exit status 1, and no
output file is written.  With no input files an empty decoder is generated.

Syntax
------
Bit positions are LSB-0 (bit 0 is the least significant bit of the word);
bit tokens are written MSB first (bit 31 leftmost).

  # comment             '#' to end of line; blank lines are ignored.
  ... \\                 a trailing backslash continues the line on the next.

  %name pos:len [pos:len ...] [!function=fn]
      Field.  Segments concatenate, the first listed is most significant.
      'pos:sLEN' sign-extends (allowed on the first segment only).  The C
      function  int32_t fn(int32_t x)  (from cpu/decode_helpers.h) is
      applied to the extracted value.

  &name [member ...]    Argument set: typedef struct { int32_t member; ... } arg_name;

  @name element ...     Format (elements below, except @format).
  NAME  element ...     Pattern: enum INSN_NAME, handler trans_NAME().

  Elements of a format/pattern line, in any order, separated by whitespace:
    0 1 . -     fixed 0, fixed 1, don't care, ignored bit.  '-' matches like
                '.' (decodetree: "really ignored by the cpu"), but no field
                may cover it.  A run may be split anywhere: "0111 11" = "011111".
    arg:len     inline field: 'len' bits at this position, assigned to
                argument 'arg' ('arg:sLEN' sign-extends).
    %field      argument 'field' = named field %field.
    arg=%field  argument 'arg' = named field %field.
    arg=CONST   argument 'arg' = constant (decimal or 0x hex, optional '-').
    &argset     the argument set to use.
    @format     (patterns only) inherit the format's fixed bits, fields,
                assignments and argument set.
  Bit runs and inline fields together must give exactly 32 bits.

  Argument set of a pattern: its own &set, else its format's.  A format
  without &set gets an implicit one named after the format (members in
  order of assignment); a pattern with neither format nor &set gets one
  named after the pattern, or the shared empty set "empty" when it assigns
  nothing (a declared "&empty" must then be empty).  Every member must be
  assigned exactly once, by the pattern or its format.  A pattern's fixed
  bits are added to its format's ('.' never cancels a format's 0/1; a
  conflicting 0/1 is an error); no field may cover a fixed bit.

  {             overlap group: members may match the same words; they are
  ...           tried in order, the first match wins.  A pattern that an
  }             earlier member always pre-empts is an error.
  [ ... ]       no-overlap group, like the top level.  Groups nest.
  Two patterns may match a common word only if their innermost common group
  is a { } group.  Brackets stand alone on their line; %, & and @ lines are
  not allowed inside groups.  Names may be used before (or in a later file
  than) their definition.  Names are unique per kind (%, &, @, pattern);
  INVALID and _COUNT are reserved pattern names.

Generated API (see gen_header)
------------------------------
decode.h: one arg_<set> typedef per argument set; DecodedInsn { fn, raw,
id, aux, union a { arg_<set> <set>; ... } } (aux: 0, free for the executor
to cache an operand derived from the arguments, e.g. a rotate mask); enum
INSN_INVALID, INSN_<NAME>..., INSN__COUNT; insn_names[] (NAME lower-cased,
a trailing "_rc" written as ".": ADD_rc -> "add."); decode_insn();
prototypes of the hand-written handlers
void trans_<NAME>(CPUState *cpu, const arg_<set> *a)  and
void trans_INVALID(CPUState *cpu, const DecodedInsn *d).
decode.c: static exec_<NAME> wrappers, insn_names, and decode_insn(): a tree
of switch statements on bits fixed by the remaining candidates (most
significant run of the most widely fixed bits first, so the primary opcode
comes first, then extended opcodes), mask/value compares at the leaves and
for { } group members.  Each leaf (commented /* file:line: NAME */) sets id
and fn, then returns or jumps to a labelled block at the end of decode_insn()
that extracts the arguments; there is one such block per distinct (argument
set, assignments), shared by all patterns using it (e.g. via one format),
which keeps the function small enough for gcc to optimise quickly.
"""

import os
import re
import sys
import tempfile
from dataclasses import dataclass, field as dc_field
from typing import Optional

WIDTH = 32
IDENT = r'[A-Za-z_][A-Za-z0-9_]*'
RE_IDENT = re.compile(IDENT + r'\Z')
RE_BITS = re.compile(r'[01.\-]+\Z')
RE_INLINE = re.compile(rf'({IDENT}):(s?)([0-9]+)\Z')
RE_SEGMENT = re.compile(r'([0-9]+):(s?)([0-9]+)\Z')
RE_FUNCTION = re.compile(rf'!function=({IDENT})\Z')
RE_FIELDREF = re.compile(rf'(?:({IDENT})=)?%({IDENT})\Z')
RE_CONST = re.compile(rf'({IDENT})=(-?)(0[xX][0-9a-fA-F]+|[0-9]+)\Z')
C_KEYWORDS = frozenset('''auto break case char const continue default do double
    else enum extern float for goto if inline int long register restrict return
    short signed sizeof static struct switch typedef union unsigned void
    volatile while _Bool _Complex _Imaginary _Alignas _Alignof _Atomic
    _Generic _Noreturn _Static_assert _Thread_local'''.split())
RESERVED_PATTERNS = frozenset(['INVALID', '_COUNT'])
KIND_NAMES = {'%': 'field', '&': 'argument set', '@': 'format'}
CLOSE = {'{': '}', '[': ']'}


# ---------------------------------------------------------------- data model

@dataclass(frozen=True)
class Loc:
    file: str
    line: int

    def __str__(self):
        return f'{self.file}:{self.line}'


class DecodeError(Exception):
    def __init__(self, loc, msg):
        super().__init__(f'{loc}: error: {msg}')


@dataclass(eq=False)
class Field:
    name: str             # "%name" for named fields, the argument for inline ones
    segs: list            # [(pos, length, signed)], most significant first
    func: Optional[str]
    loc: Loc

    @property
    def mask(self):
        m = 0
        for pos, length, _ in self.segs:
            m |= ((1 << length) - 1) << pos
        return m


@dataclass(eq=False)
class Assign:
    arg: str
    loc: Loc
    field: Optional[Field] = None   # inline field, or named field once resolved
    ref: Optional[str] = None       # name of the %field, until resolved
    const: Optional[int] = None


@dataclass(eq=False)
class Spec:
    """The elements of one format or pattern line."""
    fixedmask: int = 0
    fixedbits: int = 0
    undefmask: int = 0
    assigns: list = dc_field(default_factory=list)
    fmt: Optional[tuple] = None     # (name, Loc)
    args: Optional[tuple] = None    # (name, Loc)


@dataclass(eq=False)
class ArgSet:
    name: str
    members: list
    loc: Loc


@dataclass(eq=False)
class Format:
    name: str
    spec: Spec
    loc: Loc
    argset: Optional[ArgSet] = None


@dataclass(eq=False)
class Pattern:
    name: str
    spec: Spec
    loc: Loc
    path: tuple                     # enclosing groups, outermost (root) first
    mask: int = 0
    value: int = 0
    argset: Optional[ArgSet] = None
    assigns: dict = dc_field(default_factory=dict)
    extractor: Optional[str] = None  # label of the code filling its arguments


@dataclass(eq=False)
class Group:
    kind: str                       # '{' (ordered, may overlap) or '['
    loc: Optional[Loc]
    members: list = dc_field(default_factory=list)
    mask: int = 0                   # bits fixed, with equal values, by all members
    value: int = 0


def describe_bits(mask):
    """'bits 21..25, 0' style description of a bit mask."""
    runs, bit = [], WIDTH - 1
    while bit >= 0:
        if mask >> bit & 1:
            top = bit
            while bit > 0 and mask >> (bit - 1) & 1:
                bit -= 1
            runs.append(str(bit) if bit == top else f'{bit}..{top}')
        bit -= 1
    return ('bit ' if len(runs) == 1 and '..' not in runs[0] else 'bits ') + ', '.join(runs)


# ------------------------------------------------------------ pass 1: parse

def logical_lines(path, text):
    """Yield each logical line as a list of (token, Loc)."""
    toks = []
    for num, raw in enumerate(text.splitlines(), 1):
        line = raw.split('#', 1)[0].rstrip()
        cont = line.endswith('\\')
        if cont:
            line = line[:-1]
        toks += [(t, Loc(path, num)) for t in line.split()]
        if not cont and toks:
            yield toks
            toks = []
    if toks:
        yield toks


def parse_const(m, loc):
    digits = m[3]
    value = int(digits[2:], 16) if digits[:2].lower() == '0x' else int(digits, 10)
    value = -value if m[2] else value
    if not -(1 << 31) <= value < (1 << 31):
        raise DecodeError(loc, f"constant {m[2]}{digits} does not fit in int32_t")
    return value


def check_arg_name(name, loc):
    if name in C_KEYWORDS:
        raise DecodeError(loc, f"argument name '{name}' is a C keyword")


class Parser:
    """Pass 1: reads the files into fields, argument sets, formats, patterns
    and the group tree.  Names are looked up later (see Resolver)."""

    def __init__(self):
        self.fields, self.argsets, self.formats = {}, {}, {}
        self.patterns, self.pattern_names = [], {}
        self.root = Group('[', None)
        self.stack = [self.root]

    def parse_file(self, path):
        try:
            with open(path, encoding='utf-8') as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise DecodeError(Loc(path, 0), f'cannot read file: {e}')
        for toks in logical_lines(path, text):
            self.parse_line(toks)
        if len(self.stack) > 1:
            g = self.stack[-1]
            raise DecodeError(g.loc, f"'{g.kind}' group is not closed by '{CLOSE[g.kind]}'")

    def parse_line(self, toks):
        word, loc = toks[0]
        if word in ('{', '[', '}', ']'):
            if len(toks) > 1:
                raise DecodeError(toks[1][1], f"'{word}' must stand alone on its line")
            return self.open_group(word, loc) if word in CLOSE else self.close_group(word, loc)
        if word[0] in KIND_NAMES:
            if len(self.stack) > 1:
                raise DecodeError(loc, f'{KIND_NAMES[word[0]]} definition inside a group')
            parse = {'%': self.parse_field, '&': self.parse_argset, '@': self.parse_format}
            return parse[word[0]](toks)
        if RE_IDENT.match(word):
            return self.parse_pattern(toks)
        raise DecodeError(loc, f"unexpected '{word}' at start of line (expected a name, %, &, @, or a bracket)")

    def open_group(self, kind, loc):
        g = Group(kind, loc)
        self.stack[-1].members.append(g)
        self.stack.append(g)

    def close_group(self, word, loc):
        if len(self.stack) == 1:
            raise DecodeError(loc, f"'{word}' without an open group")
        g = self.stack.pop()
        if CLOSE[g.kind] != word:
            raise DecodeError(loc, f"'{word}' does not match '{g.kind}' at {g.loc}")
        if not g.members:
            raise DecodeError(g.loc, 'empty group')

    def def_name(self, tok, table):
        word, loc = tok
        kind = KIND_NAMES[word[0]]
        name = word[1:]
        if not RE_IDENT.match(name):
            raise DecodeError(loc, f"bad {kind} name '{word}'")
        if name in table:
            raise DecodeError(loc, f'duplicate {kind} {word} (first defined at {table[name].loc})')
        return name

    def parse_field(self, toks):
        name = self.def_name(toks[0], self.fields)
        segs, func = [], None
        for word, loc in toks[1:]:
            seg, fn = RE_SEGMENT.match(word), RE_FUNCTION.match(word)
            if fn and func is None:
                func = fn[1]
            elif seg and func is None:
                pos, signed, length = int(seg[1]), seg[2] == 's', int(seg[3])
                if length < 1 or pos + length > WIDTH:
                    raise DecodeError(loc, f"segment '{word}' is outside the {WIDTH}-bit word")
                if signed and segs:
                    raise DecodeError(loc, f"segment '{word}': only the first (most significant) segment may be signed")
                segs.append((pos, length, signed))
            else:
                raise DecodeError(loc, f"bad token '{word}' in field %{name} (expected pos:len, pos:sLEN, then !function=fn)")
        if not segs:
            raise DecodeError(toks[0][1], f'field %{name} has no bit segments')
        if sum(s[1] for s in segs) > WIDTH:
            raise DecodeError(toks[0][1], f'field %{name} is wider than {WIDTH} bits')
        self.fields[name] = Field('%' + name, segs, func, toks[0][1])

    def parse_argset(self, toks):
        name = self.def_name(toks[0], self.argsets)
        if name in C_KEYWORDS:
            raise DecodeError(toks[0][1], f"argument set name '{name}' is a C keyword")
        members = []
        for word, loc in toks[1:]:
            if not RE_IDENT.match(word):
                raise DecodeError(loc, f"bad argument name '{word}' in &{name}")
            check_arg_name(word, loc)
            if word in members:
                raise DecodeError(loc, f"duplicate argument '{word}' in &{name}")
            members.append(word)
        self.argsets[name] = ArgSet(name, members, toks[0][1])

    def parse_format(self, toks):
        name = self.def_name(toks[0], self.formats)
        spec = self.parse_elements(toks, is_pattern=False)
        self.formats[name] = Format(name, spec, toks[0][1])

    def parse_pattern(self, toks):
        name, loc = toks[0]
        if name in RESERVED_PATTERNS:
            raise DecodeError(loc, f'pattern name {name} is reserved')
        if name in self.pattern_names:
            raise DecodeError(loc, f'duplicate pattern {name} (first defined at {self.pattern_names[name].loc})')
        spec = self.parse_elements(toks, is_pattern=True)
        pat = Pattern(name, spec, loc, tuple(self.stack))
        self.pattern_names[name] = pat
        self.patterns.append(pat)
        self.stack[-1].members.append(pat)

    def parse_elements(self, toks, is_pattern):
        """Parse the elements after the name of a format or pattern line."""
        spec, pos = Spec(), WIDTH
        for word, loc in toks[1:]:
            if RE_BITS.match(word):
                pos = self.add_bits(spec, word, pos, loc)
            elif m := RE_INLINE.match(word):
                pos = self.add_inline_field(spec, m, pos, loc)
            elif m := RE_FIELDREF.match(word):
                check_arg_name(m[1] or m[2], loc)
                spec.assigns.append(Assign(m[1] or m[2], loc, ref=m[2]))
            elif m := RE_CONST.match(word):
                check_arg_name(m[1], loc)
                spec.assigns.append(Assign(m[1], loc, const=parse_const(m, loc)))
            elif word[0] in '&@' and RE_IDENT.match(word[1:]):
                self.set_reference(spec, word, loc, is_pattern)
            else:
                raise DecodeError(loc, f"bad token '{word}'")
        if pos != 0:
            what = 'pattern' if is_pattern else 'format'
            raise DecodeError(toks[0][1], f'{what} {toks[0][0]} has {WIDTH - pos} bits, expected {WIDTH}')
        return spec

    @staticmethod
    def add_bits(spec, word, pos, loc):
        for ch in word:
            if pos == 0:
                raise DecodeError(loc, f'more than {WIDTH} bits (at \'{word}\')')
            pos -= 1
            bit = 1 << pos
            if ch in '01':
                spec.fixedmask |= bit
                spec.fixedbits |= bit if ch == '1' else 0
            elif ch == '-':
                spec.undefmask |= bit
        return pos

    @staticmethod
    def add_inline_field(spec, m, pos, loc):
        name, signed, length = m[1], m[2] == 's', int(m[3])
        check_arg_name(name, loc)
        if length < 1:
            raise DecodeError(loc, f"field '{m[0]}' has zero length")
        if length > pos:
            raise DecodeError(loc, f"more than {WIDTH} bits (at '{m[0]}')")
        pos -= length
        f = Field(name, [(pos, length, signed)], None, loc)
        spec.assigns.append(Assign(name, loc, field=f))
        return pos

    @staticmethod
    def set_reference(spec, word, loc, is_pattern):
        attr = 'args' if word[0] == '&' else 'fmt'
        kind = KIND_NAMES[word[0]]
        if attr == 'fmt' and not is_pattern:
            raise DecodeError(loc, f"a format cannot use another format ('{word}')")
        if getattr(spec, attr):
            raise DecodeError(loc, f"more than one {kind} ('{word}')")
        setattr(spec, attr, (word[1:], loc))


# ---------------------------------------------------------- pass 2: resolve

class Resolver:
    """Pass 2: looks names up, merges formats into patterns, assigns argument
    sets, and checks assignments, field placement and overlaps."""

    def __init__(self, parser):
        self.p = parser
        self.argsets = parser.argsets   # implicit argument sets are added here

    def run(self):
        for fmt in self.p.formats.values():
            self.resolve_format(fmt)
        for pat in self.p.patterns:
            self.resolve_pattern(pat)
        check_overlaps(self.p.patterns)
        compute_group_masks(self.p.root)

    def lookup(self, table, ref, sigil):
        name, loc = ref
        if name not in table:
            raise DecodeError(loc, f'unknown {KIND_NAMES[sigil]} {sigil}{name}')
        return table[name]

    def resolve_refs(self, spec):
        for a in spec.assigns:
            if a.ref is not None and a.field is None:
                a.field = self.lookup(self.p.fields, (a.ref, a.loc), '%')

    def resolve_format(self, fmt):
        self.resolve_refs(fmt.spec)
        assigns = merge_assigns(fmt.spec.assigns)
        check_fields(fmt.spec.fixedmask, fmt.spec.undefmask, assigns, fmt.loc)
        if fmt.spec.args:
            fmt.argset = self.lookup(self.argsets, fmt.spec.args, '&')
            check_members(assigns, fmt.argset, fmt.loc, complete=False)
        else:
            fmt.argset = self.implicit_argset(fmt.name, list(assigns), fmt.loc, f'format @{fmt.name}')

    def resolve_pattern(self, pat):
        fmt = self.lookup(self.p.formats, pat.spec.fmt, '@') if pat.spec.fmt else None
        self.resolve_refs(pat.spec)
        mask, value, undef = merge_bits(pat, fmt)
        assigns = merge_assigns((fmt.spec.assigns if fmt else []) + pat.spec.assigns)
        check_fields(mask, undef, assigns, pat.loc)
        if pat.spec.args:
            argset = self.lookup(self.argsets, pat.spec.args, '&')
        elif fmt:
            argset = fmt.argset
        else:
            argset = self.implicit_argset(pat.name, list(assigns), pat.loc, f'pattern {pat.name}')
        check_members(assigns, argset, pat.loc, complete=True)
        pat.mask, pat.value, pat.argset, pat.assigns = mask, value, argset, assigns

    def implicit_argset(self, name, members, loc, owner):
        if not members:
            return self.empty_argset(loc, owner)
        if name in self.argsets:
            raise DecodeError(loc, f'the implicit argument set of {owner} would be arg_{name}, which '
                                   f'clashes with &{name} ({self.argsets[name].loc}); name one explicitly')
        a = ArgSet(name, members, loc)
        self.argsets[name] = a
        return a

    def empty_argset(self, loc, owner):
        a = self.argsets.get('empty')
        if a is None:
            a = self.argsets['empty'] = ArgSet('empty', [], loc)
        elif a.members:
            raise DecodeError(loc, f'{owner} needs the empty argument set, but &empty ({a.loc}) has members')
        return a


def merge_assigns(assigns):
    out = {}
    for a in assigns:
        if a.arg in out:
            raise DecodeError(a.loc, f"argument '{a.arg}' is assigned twice (also at {out[a.arg].loc})")
        out[a.arg] = a
    return out


def merge_bits(pat, fmt):
    """Fixed mask/bits and ignored mask of a pattern combined with its format."""
    s = pat.spec
    mask, value, undef = s.fixedmask, s.fixedbits, s.undefmask
    if fmt:
        f = fmt.spec
        clash = (value ^ f.fixedbits) & mask & f.fixedmask
        if clash:
            raise DecodeError(pat.loc, f'fixed {describe_bits(clash)} conflict with format @{fmt.name} ({fmt.loc})')
        mask, value, undef = mask | f.fixedmask, value | f.fixedbits, undef | f.undefmask
    return mask, value, undef & ~mask


def check_fields(fixedmask, undefmask, assigns, loc):
    for a in assigns.values():
        if a.field is None:
            continue
        name = a.field.name if a.field.name.startswith('%') else f"'{a.field.name}'"
        if a.field.mask & fixedmask:
            raise DecodeError(loc, f'field {name} overlaps fixed {describe_bits(a.field.mask & fixedmask)}')
        if a.field.mask & undefmask:
            raise DecodeError(loc, f"field {name} covers ignored ('-') {describe_bits(a.field.mask & undefmask)}")


def check_members(assigns, argset, loc, complete):
    for a in assigns.values():
        if a.arg not in argset.members:
            raise DecodeError(a.loc, f"'{a.arg}' is not a member of argument set &{argset.name} ({argset.loc})")
    missing = [m for m in argset.members if m not in assigns]
    if complete and missing:
        names = ', '.join(f"'{m}'" for m in missing)
        raise DecodeError(loc, f'argument {names} of &{argset.name} is never assigned')


def innermost_common_group(p, q):
    common = None
    for a, b in zip(p.path, q.path):
        if a is not b:
            break
        common = a
    return common


def check_overlaps(patterns):
    """Patterns matching a common word must be ordered by a { } group, and
    must not be pre-empted entirely by an earlier member of that group."""
    for i, p in enumerate(patterns):
        for q in patterns[:i]:
            if (p.value ^ q.value) & p.mask & q.mask:
                continue
            if innermost_common_group(p, q).kind != '{':
                raise DecodeError(p.loc, f'pattern {p.name} overlaps pattern {q.name} ({q.loc}); '
                                         'patterns that can match the same word need a { } group')
            if q.mask & ~p.mask == 0:
                raise DecodeError(p.loc, f'pattern {p.name} can never match: the earlier pattern '
                                         f'{q.name} ({q.loc}) in the same {{ }} group matches all its words')


def compute_group_masks(group):
    for m in group.members:
        if isinstance(m, Group):
            compute_group_masks(m)
    mask, value = ~0, None
    for m in group.members:
        value = m.value if value is None else value
        mask &= m.mask & ~(value ^ m.value)
    group.mask = mask & ((1 << WIDTH) - 1) if group.members else 0
    group.value = (value or 0) & group.mask


# ------------------------------------------------------------- C generation

def insn_name(name):
    name = name.lower()
    return name[:-3] + '.' if name.endswith('_rc') else name


def c_comment(text):
    return '/* ' + text.replace('*/', '* /') + ' */'


def field_expr(f):
    """C expression (int32_t) extracting field f from 'raw'."""
    width = sum(length for _, length, _ in f.segs)
    parts, shift = [], width
    for pos, length, _ in f.segs:
        shift -= length
        e = 'raw' if pos == 0 else f'(raw >> {pos})'
        if pos + length < WIDTH:
            e = f'({e} & 0x{(1 << length) - 1:x}u)'
        parts.append(f'({e} << {shift})' if shift else e)
    u = ' | '.join(parts)
    if f.segs[0][2] and width < WIDTH:
        sign = 1 << (width - 1)
        expr = f'(((int32_t){u}) ^ 0x{sign:x}) - 0x{sign:x}' if len(parts) == 1 \
            else f'(((int32_t)({u})) ^ 0x{sign:x}) - 0x{sign:x}'
    else:
        expr = f'(int32_t){u}' if len(parts) == 1 else f'(int32_t)({u})'
    return f'{f.func}({expr})' if f.func else expr


def assign_expr(a):
    if a.field is not None:
        return field_expr(a.field)
    return 'INT32_MIN' if a.const == -(1 << 31) else str(a.const)


def flat_items(group):
    """Members of a no-overlap group, with nested [ ] groups flattened."""
    out = []
    for m in group.members:
        if isinstance(m, Group) and m.kind == '[':
            out += flat_items(m)
        else:
            out.append(m)
    return out


def choose_switch(items, checked):
    """Pick the bits to switch on: the most significant contiguous run of
    bits fixed by all items that fix the most widely fixed bit."""
    counts = [sum(1 for it in items if (it.mask & ~checked) >> b & 1) for b in range(WIDTH)]
    best = max(counts)
    if best < 2:
        return 0
    top = max(b for b in range(WIDTH) if counts[b] == best)
    common = ~checked
    for it in items:
        if it.mask >> top & 1:
            common &= it.mask
    low = top
    while low > 0 and common >> (low - 1) & 1:
        low -= 1
    return ((1 << (top - low + 1)) - 1) << low


class TreeEmitter:
    """Emits the body of decode_insn().  Each emitted node leaves through a
    'return' or a 'goto' to an extraction block on a match and falls through
    otherwise.  'checked' is the mask of bits already known to equal the
    fixed bits of every candidate."""

    def __init__(self):
        self.lines, self.depth = [], 1

    def w(self, text):
        self.lines.append('    ' * self.depth + text)

    def emit_list(self, items, checked):
        """No-overlap candidates.  Like all emit_* methods, returns True if the
        last statement emitted is an unconditional return/goto (no 'break;')."""
        if len(items) == 1:
            return self.emit_item(items[0], checked)
        run = choose_switch(items, checked)
        if not run:
            return [self.emit_item(it, checked) for it in items][-1]
        inside = [it for it in items if it.mask & run == run]
        self.emit_switch(inside, run, checked)
        rest = [it for it in items if it.mask & run != run]
        return self.emit_list(rest, checked) if rest else False

    def emit_switch(self, items, run, checked):
        shift = (run & -run).bit_length() - 1
        cases = {}
        for it in items:
            cases.setdefault((it.value & run) >> shift, []).append(it)
        if len(cases) == 1:
            (key, sub), = cases.items()
            self.open_if(run, key << shift)
            self.emit_list(sub, checked | run)
            self.close_if()
            return
        expr = 'raw' if shift == 0 else f'raw >> {shift}'
        if run >> shift != (1 << (WIDTH - shift)) - 1:
            expr = f'({expr}) & 0x{run >> shift:x}u' if shift else f'{expr} & 0x{run:x}u'
        self.w(f'switch ({expr}) {{')
        for key in sorted(cases):
            self.w(f'case {key}:')
            self.depth += 1
            if not self.emit_list(cases[key], checked | run):
                self.w('break;')
            self.depth -= 1
        self.w('default:')
        self.w('    break;')
        self.w('}')

    def open_if(self, mask, value):
        self.w(f'if ((raw & 0x{mask:08x}u) == 0x{value & mask:08x}u) {{')
        self.depth += 1

    def close_if(self):
        self.depth -= 1
        self.w('}')

    def emit_item(self, item, checked):
        if isinstance(item, Pattern):
            return self.emit_pattern(item, checked)
        rem = item.mask & ~checked
        if item.kind == '{':
            self.w(c_comment(f'{item.loc}: {{ group, first match wins'))
        if rem:
            self.open_if(rem, item.value)
        if item.kind == '{':
            # Every member is emitted even after one that always returns (which
            # check_overlaps rules out), so no exec_* wrapper is left unused.
            done = [self.emit_item(m, checked | rem) for m in item.members][-1]
        else:
            done = self.emit_list(flat_items(item), checked | rem)
        if rem:
            self.close_if()
        return done and not rem

    def emit_pattern(self, p, checked):
        rem = p.mask & ~checked
        self.w(c_comment(f'{p.loc}: {p.name}'))
        if rem:
            self.open_if(rem, p.value)
        self.w(f'out->id = INSN_{p.name};')
        self.w(f'out->fn = exec_{p.name};')
        self.w(f'goto {p.extractor};' if p.extractor else 'return;')
        if rem:
            self.close_if()
        return not rem


def banner(inputs):
    src = ' '.join(inputs) if inputs else '(no input files)'
    return [c_comment(f'Generated by tools/decodetree.py from {src}.'),
            '/* Do not edit: edit the .decode files instead. */', '']


def gen_header(argsets, patterns, inputs):
    out = banner(inputs) + ['#ifndef NESTHV_GEN_DECODE_H', '#define NESTHV_GEN_DECODE_H', '',
                            '#include <stdint.h>', '', 'typedef struct CPUState CPUState;', '']
    for a in argsets:
        out.append('typedef struct {')
        out += [f'    int32_t {m};' for m in a.members] or ['    int32_t unused_;   /* empty argument set */']
        out += [f'}} arg_{a.name};', '']
    out += ['typedef struct DecodedInsn DecodedInsn;',
            'typedef void (*insn_exec_fn)(CPUState *cpu, const DecodedInsn *d);', '',
            'struct DecodedInsn {',
            '    insn_exec_fn fn;      /* handler wrapper: calls trans_<NAME> */',
            '    uint32_t raw;         /* the instruction word */',
            '    uint16_t id;          /* INSN_<NAME> */',
            '    uint64_t aux;         /* 0 from decode_insn(); the executor may cache a derived operand */',
            '    union {']
    out += [f'        arg_{a.name} {a.name};' for a in argsets] or ['        int32_t unused_;']
    out += ['    } a;                  /* member named after the argument set */', '};', '',
            'enum {', '    INSN_INVALID = 0,']
    out += [f'    INSN_{p.name},' for p in patterns]
    out += ['    INSN__COUNT', '};', '',
            '/* Lower-case mnemonics, indexed by INSN_*; a NAME ending in "_rc" ends in ".". */',
            'extern const char *const insn_names[INSN__COUNT];', '',
            '/* Fill *out for instruction word raw.  Never fails: an unmatched word',
            '   gives id INSN_INVALID and fn calling trans_INVALID. */',
            'void decode_insn(uint32_t raw, DecodedInsn *out);', '',
            '/* Handlers, implemented by hand elsewhere. */']
    out += [f'void trans_{p.name}(CPUState *cpu, const arg_{p.argset.name} *a);' for p in patterns]
    out += ['void trans_INVALID(CPUState *cpu, const DecodedInsn *d);   /* unmatched words */',
            '', '#endif /* NESTHV_GEN_DECODE_H */', '']
    return '\n'.join(out)


def gen_extractors(patterns):
    """The tail of decode_insn(): one labelled block per distinct (argument
    set, assignments), filling the arguments; sets Pattern.extractor.  Leaves
    jump there, so each extraction appears once (gcc gets very slow on
    thousands of leaves each storing fields, even via inlined functions)."""
    out, by_key, count = [], {}, {}
    for p in patterns:
        if not p.argset.members:
            continue
        exprs = tuple(assign_expr(p.assigns[m]) for m in p.argset.members)
        key = (p.argset.name, exprs)
        if key not in by_key:
            n = count[p.argset.name] = count.get(p.argset.name, 0) + 1
            by_key[key] = label = f'extract_{p.argset.name}_{n}'
            out += [f'{label}:   ' + c_comment(f'first used by {p.name}, {p.loc}')]
            out += [f'    out->a.{p.argset.name}.{m} = {e};' for m, e in zip(p.argset.members, exprs)]
            out += ['    return;']
        p.extractor = by_key[key]
    return out


def gen_source(root, patterns, inputs):
    out = banner(inputs) + ['#include "decode.h"', '#include "cpu/decode_helpers.h"', '',
                            'static void exec_INVALID(CPUState *cpu, const DecodedInsn *d)',
                            '{', '    trans_INVALID(cpu, d);', '}', '']
    for p in patterns:
        out += [f'static void exec_{p.name}(CPUState *cpu, const DecodedInsn *d)',
                '{', f'    trans_{p.name}(cpu, &d->a.{p.argset.name});', '}', '']
    out += ['const char *const insn_names[INSN__COUNT] = {', '    [INSN_INVALID] = "invalid",']
    out += [f'    [INSN_{p.name}] = "{insn_name(p.name)}",' for p in patterns]
    out += ['};', '', 'void decode_insn(uint32_t raw, DecodedInsn *out)', '{', '    out->raw = raw;',
            '    out->aux = 0;']
    tails = gen_extractors(patterns)
    tree = TreeEmitter()
    items = flat_items(root)
    if items:
        tree.emit_list(items, 0)
    out += tree.lines
    out += ['    out->id = INSN_INVALID;', '    out->fn = exec_INVALID;']
    out += (['    return;', ''] + tails if tails else []) + ['}', '']
    return '\n'.join(out)


# ---------------------------------------------------------------------- main

def parse_args(argv):
    opts, inputs, i = {}, [], 0
    while i < len(argv):
        arg = argv[i]
        key = arg.split('=', 1)[0]
        if key in ('--out-c', '--out-h'):
            if '=' in arg:
                opts[key] = arg.split('=', 1)[1]
            elif i + 1 < len(argv):
                i += 1
                opts[key] = argv[i]
            else:
                raise ValueError(f'{arg} needs a file name')
        elif arg.startswith('-') and arg != '-':
            raise ValueError(f'unknown option {arg}')
        else:
            inputs.append(arg)
        i += 1
    if '--out-c' not in opts or '--out-h' not in opts:
        raise ValueError('both --out-c and --out-h are required')
    return opts['--out-c'], opts['--out-h'], inputs


def write_outputs(files):
    """Write all files, each via a temporary file renamed into place."""
    temps = []
    try:
        for path, text in files:
            d = os.path.dirname(path) or '.'
            os.makedirs(d, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=d, prefix='.decodetree.')
            temps.append((tmp, path))
            with os.fdopen(fd, 'w', encoding='utf-8') as f:
                f.write(text)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def main(argv):
    try:
        out_c, out_h, inputs = parse_args(argv[1:])
    except ValueError as e:
        print(f'decodetree.py: error: {e}\nusage: decodetree.py --out-c FILE.c --out-h FILE.h '
              'INPUT.decode ...', file=sys.stderr)
        return 1
    try:
        parser = Parser()
        for path in inputs:
            parser.parse_file(path)
        Resolver(parser).run()
        if len(parser.patterns) > 0xfffe:
            raise DecodeError(parser.patterns[-1].loc, 'too many patterns for a uint16_t id')
    except DecodeError as e:
        print(e, file=sys.stderr)
        return 1
    argsets = list(parser.argsets.values())
    header = gen_header(argsets, parser.patterns, inputs)
    source = gen_source(parser.root, parser.patterns, inputs)
    try:
        write_outputs([(out_h, header), (out_c, source)])
    except OSError as e:
        print(f'decodetree.py: error: cannot write output: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
