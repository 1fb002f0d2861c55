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
    assert heard == [Changed([row], disk=False)]
    workspace.revert([row])
    assert heard[-1] == Changed([row], disk=True)
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
