"""The Workspace says what changed (core.folder.workspace.Changed) and the model maps it to the
roles it touches: no controller forwards row lists to the model (napari's _process_event)."""

from __future__ import annotations

from curator.core.folder import library
from curator.core.folder.edits import EditOp
from curator.core.folder.workspace import Changed, Workspace
from curator.ui.model import VALUE_ROLES, ArticleModel, Role

FIRST = "_news/000_0f6bed355ea43c67.txt"


def opened(sample) -> Workspace:
    workspace = Workspace(sample)
    paths = sorted(str(p.relative_to(sample)) for p in (sample / "_news").iterdir())
    workspace.add_entries([library.load_one(str(sample), p) for p in paths])
    return workspace


def test_the_workspace_tells_its_listeners_what_changed(sample):
    workspace = opened(sample)
    heard: list[Changed] = []
    workspace.subscribe(heard.append)
    row = workspace.rows[FIRST]
    workspace.apply_step(workspace.plan_edit([row], "published", EditOp.SET, True))
    assert heard == [Changed([row], disk=False, keys=frozenset({"published"}))]  # (an edit names its keys)
    workspace.revert([row])
    assert heard[-1] == Changed([row], disk=True)  # (read again: any key may have changed)
    workspace.unsubscribe(heard.append)
    workspace.apply_step(workspace.plan_edit([row], "quality", EditOp.SET, 3))
    assert len(heard) == 2


def test_the_model_maps_an_edit_to_the_value_roles_without_being_told(qtbot, sample):
    workspace = opened(sample)
    model = ArticleModel(workspace)
    model.refresh()
    row = workspace.rows[FIRST]
    with qtbot.waitSignal(model.dataChanged) as blocker:
        workspace.apply_step(workspace.plan_edit([row], "published", EditOp.SET, True))
    top, bottom, roles = blocker.args
    assert top.row() == bottom.row() == model.positions()[row]
    assert roles == list(VALUE_ROLES) and Role.CHANGED_ON_DISK not in roles
    other = opened(sample)  # after another folder is shown, the first one's events reach no view
    model.set_workspace(other)
    with qtbot.assertNotEmitted(model.dataChanged):
        workspace.apply_step(workspace.plan_edit([row], "quality", EditOp.SET, 3))


def test_a_long_list_without_positions_is_told_of_an_edit_in_one_signal_over_it(qtbot, sample, monkeypatch):
    """Its positions are not made for an edit (a million rows: 250-350 ms of the GUI thread)."""
    from curator.ui import model as model_module

    workspace = opened(sample)
    model = ArticleModel(workspace)
    model.refresh()
    model.set_query("-published:no")  # (a search: the positions of the list it shows are made when needed)
    monkeypatch.setattr(model_module, "SPAN_ROWS", 3)
    made = []
    real = model_module.Positions
    monkeypatch.setattr(model_module, "Positions", lambda *a, **k: made.append(1) or real(*a, **k))
    row = model.order[1]
    with qtbot.waitSignal(model.dataChanged) as blocker:
        workspace.apply_step(workspace.plan_edit([row], "quality", EditOp.SET, 3))
    top, bottom, roles = blocker.args
    assert (top.row(), bottom.row()) == (0, len(model.order) - 1) and roles == list(VALUE_ROLES)
    assert not made
    assert model.index(1, 0).data(Role.ROW) == row  # (and what the views repaint reads the new value)
    assert workspace.summary(row).quality == 3
