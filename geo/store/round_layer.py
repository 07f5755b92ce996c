"""A closed round's visible contributions as a normal, versioned layer: the same for every
backend, built only from the store's own interface methods plus one backend step that records
which layer a round became (`_link_round_layer`)."""

from __future__ import annotations

from geo.errors import GeoError
from geo.participation.rounds import contributions_frame, layer_frame
from geo.store import LayerInfo


class RoundLayerMixin:
    """`RoundStore.round_to_layer` for backends that have `write`, `get_round`,
    `list_contributions` and `_link_round_layer(round_id, layer_id)`."""

    def round_to_layer(
        self, round_id: str, *, title: str, kind: str = "other", author: str = "system"
    ) -> LayerInfo:
        """A closed round's visible contributions as a normal, versioned layer."""
        rnd = self.get_round(round_id)
        if rnd.status() in ("open", "planned"):
            raise GeoError("err.part_round_open")
        gdf, roles = layer_frame(contributions_frame(self.list_contributions(round_id)))
        info = self.write(
            gdf,
            title=title,
            kind=kind,
            source_file=f"beteiligung/{round_id}",
            roles=roles,
            style={"category": "kategorie"},
            author=author,
        )
        self._link_round_layer(round_id, info.id)
        return info
