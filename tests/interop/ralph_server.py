"""Run by Ralph's own Python (var/lrs-venv), never by the test suite's: Ralph's LRS on 127.0.0.1:<port> with its
file-system backend appending statements (Ralph 5.1.0 writes the file in "create" mode and refuses every POST
after the first). Settings come from the environment (tests/interop/lrs.py)."""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
