"""`actorgraph init`, `load`, `validate`, `check`, `reason` and `synth`: set up the store, load and
check RDF, derive links, and generate synthetic data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.progress import Phases
from api.cli.support import StoreOption, fail, opened, store_path
from api.settings import Settings
from graph.ingest import derivation, loader, registry, setup
from graph.ingest.formats import UnknownFormat
from graph.ingest.loader import LoadError, RdfSource


def init(
    store: StoreOption = None,
    demo: Annotated[bool, typer.Option("--demo", help="Also load the bundled demo data (real public data and the fictional scenario).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Reload even if the store is already initialized.")] = False,
) -> None:
    """Create the store and load the ontology; with --demo, also the bundled demo data."""
    with opened(store) as graph_store:
        try:
            report = setup.init_store(graph_store, demo=demo, force=force)
        except LoadError as error:
            raise fail(str(error).splitlines()[0], "\n".join(str(error).splitlines()[1:])) from None
    if report.skipped:
        typer.echo("The store is already initialized; nothing to do (use --force to reload).")
        return
    for load in report.loads:
        typer.echo(f"loaded {load.triples:>8,} triples into {registry.graph_name(load.graph)}")
    typer.echo(f"derived {sum(report.inferred.values()):,} links into inferred")


def load(
    files: Annotated[list[Path], typer.Argument(help="RDF files: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, N3, TriX, HexTuples.")],
    store: StoreOption = None,
    graph: Annotated[str | None, typer.Option("--graph", help="Graph name (under .../graph/) or IRI. Default: one graph per file, named after it.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Format name when the extension does not tell.")] = None,
    trusted: Annotated[bool, typer.Option("--trusted", help="Skip SHACL validation, for bulk data already checked.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the graph if it exists.")] = False,
    reason: Annotated[bool, typer.Option("--reason/--no-reason", help="Recompute the derived links afterwards.")] = True,
    restricted: Annotated[bool, typer.Option("--restricted", help="Only analysts and above may read the graph (see `actorgraph graphs`).")] = False,
) -> None:
    """Load RDF files, each into its own named graph (or all into --graph), validated and atomic."""
    try:
        sources = [RdfSource.from_path(path, fmt) for path in files]
    except (LoadError, UnknownFormat) as error:
        raise fail(str(error)) from None
    batches = [sources] if graph else [[source] for source in sources]
    location = store_path(store)
    where = location if location is not None else ":memory:"
    not_initialized = f"the store at {where} is not initialized; run `actorgraph init --store {where}` first (loading validates against its ontology)"
    # Refused before opening: opening would make a store there (in an empty directory too).
    if isinstance(location, Path) and (not location.exists() or (location.is_dir() and not any(location.iterdir()))):
        raise fail(not_initialized)
    with opened(store, derive_stale=reason) as graph_store:
        if not setup.is_initialized(graph_store):
            raise fail(not_initialized)
        for batch in batches:
            total = sum(Path(source.name).stat().st_size for source in batch)
            with Phases() as shown:
                shown.start("parse", total=total, unit="bytes", name=Path(batch[0].name).name + (f" and {len(batch) - 1} more" if len(batch) > 1 else ""))
                try:
                    result = loader.load_sources(
                        graph_store, batch, graph=graph, trusted=trusted, replace=replace, progress=shown.advance,
                        restricted=restricted, phase=shown.start,
                    )
                except LoadError as error:
                    lines = str(error).splitlines()
                    raise fail(lines[0], "\n".join(lines[1:]) or None) from None
            checked = "validated" if result.validated else "trusted, not validated"
            typer.echo(f"loaded {result.triples:,} triples into {registry.graph_name(result.graph)} ({checked})")
        if reason:
            with Phases() as shown:
                shown.start("derive")
                counts = derivation.reason(graph_store)
            typer.echo(f"derived {sum(counts.values()):,} links into inferred")


def validate(
    files: Annotated[list[Path], typer.Argument(help="RDF files to check against the SHACL shapes.")],
    store: StoreOption = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Format name when the extension does not tell.")] = None,
) -> None:
    """Check files against the shapes, with the ontology and loaded graphs as context; load nothing."""
    with opened(store) as graph_store:
        if not setup.is_initialized(graph_store):
            setup.load_ontology(graph_store)
        failed = False
        for path in files:
            try:
                result = loader.load_sources(graph_store, [RdfSource.from_path(path, fmt)], dry_run=True)
                typer.echo(f"{path}: valid ({result.triples:,} triples)")
            except (LoadError, UnknownFormat) as error:
                failed = True
                typer.echo(str(error), err=True)
    if failed:
        raise typer.Exit(code=1)


def check(
    store: StoreOption = None,
    with_data: Annotated[bool, typer.Option("--with-data", help="Also reason over the asserted data graphs of the store.")] = False,
) -> None:
    """Check that the ontology (and optionally the data) is consistent, with HermiT."""
    from ontology import reasoner  # starts Java only when asked for

    settings = Settings.from_env()
    java = reasoner.Java(memory_mb=settings.reasoner_memory_mb, home=settings.java_home)
    extra: list[Path] = []
    with opened(store) as graph_store:
        if with_data:
            extra.append(setup.export_asserted_data(graph_store))
    try:
        report = reasoner.check_consistency(extra, java=java)
    except reasoner.ReasonerError as error:
        raise fail(str(error)) from None
    finally:
        for path in extra:
            path.unlink(missing_ok=True)
    if not report.consistent:
        raise fail("inconsistent: " + report.explanation)
    typer.echo("consistent (HermiT)")


def reason(store: StoreOption = None) -> None:
    """Materialize the derived links (commands, memberOf, subOrganizationOf, ...) into the inferred graph."""
    with opened(store) as graph_store:
        if not setup.is_initialized(graph_store):
            raise fail("the store is not initialized; run `actorgraph init` first")
        counts = derivation.reason(graph_store)
    for prop, count in sorted(counts.items()):
        typer.echo(f"{count:>8,}  {prop}")


def synth(
    actors: Annotated[int, typer.Option("--actors", min=1, help="Number of actors to generate.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .nq (N-Quads) or .trig (TriG).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same bytes.")] = 42,
) -> None:
    """Generate a deterministic synthetic graph (fictional, its own namespace) for tests and benchmarks."""
    from graph.synthetic import generator

    with Phases() as shown:
        shown.start("generate", total=actors, unit="actors")
        done = [0]

        def advance(written: int) -> None:
            shown.advance(written - done[0])
            done[0] = written

        try:
            figures = generator.write_synthetic(out, actors, seed=seed, progress=advance)
        except ValueError as error:
            raise fail(str(error)) from None
    typer.echo(
        f"wrote {figures.triples:,} triples to {out}: {figures.actors:,} actors, {figures.programs:,} programs, "
        f"{figures.relations:,} relation nodes, {figures.incidents:,} incidents"
    )


def register(root: typer.Typer) -> None:
    for command in (init, load, validate, check, reason, synth):
        root.command()(command)
