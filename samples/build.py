"""Re-render every sample contract: tools/sample-sources/<name>.md -> samples/<name>.pdf/.docx/.txt.

Usage: python samples/build.py   (from any directory; paths are resolved from this file)
The formats of each sample come from the front matter of its source.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))  # tools/ is a dev folder, not a package

import docgen  # noqa: E402


def main() -> int:
    sources = sorted((HERE.parent / "tools" / "sample-sources").glob("*.md"))
    if not sources:
        print(f"no source found in {HERE.parent / 'tools' / 'sample-sources'}", file=sys.stderr)
        return 1
    for source in sources:
        for path in docgen.render(source, HERE):
            print(path.relative_to(HERE.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
