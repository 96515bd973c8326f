"""Numbers and key figures as a French reader expects them written."""

from __future__ import annotations

from contratcheck.model import KeyFigure


def french_number(amount: float, decimals: int = 2) -> str:
    """1234.5 -> "1 234,5": a narrow no-break space groups thousands, a comma marks decimals."""
    text = f"{amount:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


# Pieces of a contract that state different values of a figure: the value that applies, the others.
PREVAILS = {True: "prévaut", False: "écartée par une autre pièce"}


def describe(figure: KeyFigure) -> str | None:
    """One line for the figure: "critique : 4 heures ; majeur : 8 heures ouvrées", None when unstated.
    Where the pieces of a contract disagree, each value says whether it prevails."""
    if not figure.values:
        return None
    parts, levelled = [], any(v.level for v in figure.values)
    for value in figure.values:
        level = value.level or ("sans niveau précisé" if levelled else None)
        text = f"{level} : {value.text}" if level else value.text
        caveat = " ; ".join(filter(None, (value.caveat, PREVAILS.get(value.prevails))))  # type: ignore[arg-type]
        parts.append(f"{text} ({caveat})" if caveat else text)
    return " ; ".join(parts)


def threshold_label(amount: float, unit: str, kind: str) -> str:
    """A rule's threshold as its messages quote it: "4 heures", "99.5 %", "1 500 €"."""
    return f"{french_number(amount)} €" if kind == "money" else f"{amount:g} {unit}"
