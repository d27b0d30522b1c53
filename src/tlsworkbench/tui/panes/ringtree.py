"""Key ring pane: rings, their certificates (label, owner, usage, default,
status, expiry colour) and each certificate's chain; for the selected
connection, which ring its policy points at and what is missing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, Tree

from tlsworkbench.model.index import ring_key

from ..messages import CertSelected
from ..textual_private import QuietTree
from ..text import plain, same, set_line
from ..themes import color
from .base import WatchesSelection
from .inspector import validity
from .textbox import TextBox


def _owner_key(owner: str) -> str:
    o = owner.upper()
    return o[3:-1] if o.startswith("ID(") and o.endswith(")") else o


def find_cert(session, label: str, owner: str):
    ow = _owner_key(owner)
    for c in session.certs:
        if c.label == label and (c.owner or "").upper() == ow:
            return c
    return None


def issuer_of(session, cert):
    if not cert.issuer or cert.issuer == cert.subject:
        return None
    return next((c for c in session.certs if c.subject == cert.issuer and c is not cert), None)


def missing(session, rel) -> list[str]:
    """What the selected connections' rings lack, in plain words."""
    out = []
    for cid in sorted(rel.connections)[:20]:
        c = session.connection(cid)
        if c is None or not c.keyring:
            continue
        ring = session.ring(c.keyring)
        who = f"{c.job or cid} on {c.system or '?'}"
        if ring is None:
            out.append(f"ring {c.keyring} does not exist in the evidence ({who}); "
                       f"check RACDCERT LISTRING for it")
            continue
        if (c.role or "server") == "server":
            if not ring.personal():
                out.append(f"no PERSONAL certificate on {ring.key} ({who} is the server)")
            elif ring.default_entry() is None:
                out.append(f"no DEFAULT certificate on {ring.key}")
            owner = ring.owner.upper()
            labels = {e.label for e in ring.entries}
            for cert in session.certs:
                if (cert.owner or "").upper() == owner and cert.label not in labels and \
                        cert.private_key is not False:
                    out.append(f"{cert.owner}'s certificate '{cert.label}' exists but is not "
                               f"connected to {ring.key}")
    return out


class RingTree(QuietTree):
    """The key ring tree (its height is fixed by the pane)."""


class RingTreePane(WatchesSelection, Vertical):
    HELP = "ringtree.md"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.session = None
        self.rel = None
        self._keys: list[str] = []
        self._loose: list = []
        self._items: list[list] = []
        """[kind, node, (ring key, ring) or (entry, cert), label shown] per node"""
        self._built: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(plain("Key rings"), classes="pane-title", id="ring-title")
        yield TextBox(id="ring-missing", fit=10)
        tree = RingTree("rings", id="ring-tree")
        tree.show_root = False
        yield tree

    def set_session(self, session) -> None:
        self.session = session
        self.rel = None
        self._built = None
        box = self.query_one("#ring-missing", TextBox)
        box.display = False
        box.reset_fit()
        keys = [r.key for r in session.rings]
        known = set(keys)
        from tlsworkbench.model.rowquery import first_values

        for kr in first_values(session.connections, "keyring"):  # rows read as a column
            if kr not in known and session.ring(kr) is None:
                keys.append(kr)
                known.add(kr)
        self._keys = keys
        on_ring = set()
        for r in session.rings:
            for e in r.entries:
                cert = find_cert(session, e.label, e.owner)
                if cert is not None:
                    on_ring.add(id(cert))
        self._loose = [c for c in session.certs if id(c) not in on_ring]
        self._fill()

    def show_selection(self, rel, source: str) -> None:
        self.rel = rel
        self._fill()

    def restyle(self) -> None:
        self._fill()  # the tree is built again for the new theme (self._built)

    def at(self):
        from .inspector import incident_time

        return incident_time(self.session, self.rel.connections if self.rel else ())

    def _build_tree(self) -> None:
        """Every ring, its certificates and their chains, once per session (and
        theme); a selection then only relabels and expands nodes."""
        s = self.session
        tree = self.query_one(RingTree)
        tree.clear()
        self._items = []
        self._built = (s, self.app.theme)
        keys = self._keys
        for key in keys:
            ring = s.ring(key)
            node = tree.root.add(self._ring_label(key, ring), data=("ring", key),
                                 expand=len(keys) <= 3)
            self._items.append(["ring", node, (key, ring), None])
            if ring is None:
                continue
            for e in ring.entries:
                cert = find_cert(s, e.label, e.owner)
                up = issuer_of(s, cert) if cert else None
                data = ("cert", cert.record if cert else None)
                child = (node.add(plain(e.label), data=data, expand=True) if up is not None
                         else node.add_leaf(plain(e.label), data=data))
                self._items.append(["entry", child, (e, cert), None])
                seen = {id(cert)}
                while up is not None and id(up) not in seen:
                    seen.add(id(up))
                    nxt = issuer_of(s, up)
                    label = plain(f"issued by {up.label or up.subject}", style="dim")
                    child = (child.add(label, data=("cert", up.record), expand=True)
                             if nxt is not None else child.add_leaf(label, data=("cert", up.record)))
                    up = nxt
        if self._loose:
            node = tree.root.add(plain("certificates on no ring in the evidence", style="dim"),
                                 data=("loose", None), expand=True)
            for cert in self._loose:
                leaf = node.add_leaf(plain(cert.label or cert.subject or "?"),
                                     data=("cert", cert.record))
                self._items.append(["entry", leaf, (None, cert), None])

    def _ring_label(self, key: str, ring) -> Text:
        label = Text()
        if ring is None:
            label.append(plain(f"{key}  (not in the evidence)",
                               style=color(self.app, "ring-missing")))
        else:
            label.append(plain(ring.key, style="bold"))
            label.append(plain(f"  {ring.system or ''}  {len(ring.entries)} certificates",
                               style="dim"))
            if not ring.personal():
                label.append(plain("  no PERSONAL certificate",
                                   style=color(self.app, "ring-missing")))
        return label

    def _fill(self) -> None:
        s = self.session
        if s is None:
            return
        rel = self.rel
        rel_rings = set(rel.rings) if rel else set()
        rel_certs = set(rel.certs) if rel else set()
        self._notes(rel)
        if self._built != (s, self.app.theme):
            self._build_tree()
        tree = self.query_one(RingTree)
        related_style = f"bold on {color(self.app, 'related-bg')}"
        many = len(self._keys) > 3
        at = self.at()
        focus_node = None
        for item in self._items:
            kind, node, what, shown = item
            if kind == "ring":
                key, ring = what
                is_rel = ring_key(key) in rel_rings
                label = self._ring_label(key, ring)
                if many and node.is_expanded != is_rel:
                    node.expand() if is_rel else node.collapse()
                if is_rel and focus_node is None:
                    focus_node = node
            else:
                e, cert = what
                label = self._entry_label(e, cert, at)
                is_rel = cert is not None and cert.record in rel_certs
            if is_rel:
                label.stylize(related_style)
            if not same(label, shown):
                item[3] = label
                node.set_label(label)
        tree.last_line  # lay the lines out now, not in the middle of the next frame
        if focus_node is not None:
            tree.move_cursor(focus_node)
            tree.scroll_to_node(focus_node, animate=False)

    def _notes(self, rel) -> None:
        s = self.session
        notes = missing(s, rel) if rel else []
        box = self.query_one("#ring-missing", TextBox)
        if notes:
            box.display = True  # and it stays, as high as the most notes were (see TextBox.fit)
            box.show(plain("\n".join(f"missing: {n}" for n in dict.fromkeys(notes)),
                           style=f"bold {color(self.app, 'ring-missing')}"))
        elif box.display:
            box.show(plain("missing: nothing, for the rings of this selection", style="dim"))
        set_line(self.query_one("#ring-title", Static), plain("Key rings" + self._whose(rel)))

    def _whose(self, rel) -> str:
        """The ring of the selected line's own connection, first (so a narrow
        pane cuts the rule, not the ring), never the peer's in its place."""
        s = self.session
        if rel is None or not rel.connections:
            return ""
        rec = s.record(rel.record) if rel.record else None
        system = getattr(rec, "system", None)
        conns = [c for c in (s.connection(cid) for cid in rel.connections[:50])
                 if c is not None and c.keyring]
        own = [c for c in conns if system and c.system == system] or conns
        if not own:
            return ""
        c = own[0]
        others = len({x.keyring for x in own} - {c.keyring})
        return (f"  {c.keyring}  ({c.system or '?'} {c.rule or '?'})" +
                (f" +{others}" if others else ""))

    def _entry_label(self, e, cert, at) -> Text:
        t = Text()
        if e is not None:
            t.append(plain(e.label, style="bold"))
            t.append(plain(f"  {e.owner}  {e.usage}"))
            if e.default:
                t.append("  DEFAULT", style=f"bold {color(self.app, 'ring-default')}")
        else:
            t.append(plain(cert.label or cert.subject or "?", style="bold"))
            t.append(plain(f"  {cert.owner or ''}"))
        if cert is not None:
            if cert.status:
                t.append(plain(f"  {cert.status}"))
            state, text = validity(cert, at, self.app.config.warn_days)
            t.append(plain(f"  {text}", style=color(self.app, {
                "valid": "cert-valid", "expiring": "cert-expiring"}.get(state, "cert-expired"))))
            if cert.private_key is False:
                t.append("  no private key", style=color(self.app, "rc-error"))
        elif e is not None:
            t.append("  (no RACDCERT LIST for it)", style="dim")
        return t

    @on(Tree.NodeHighlighted, "#ring-tree")
    def _node(self, event: Tree.NodeHighlighted) -> None:
        data = event.node.data
        if not event.control.has_focus:
            return  # the tree moved itself after a selection: not the user's choice
        if data and data[0] == "cert" and data[1]:
            self.post_message(CertSelected(data[1]))
