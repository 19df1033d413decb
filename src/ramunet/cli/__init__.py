"""The ``ramunet`` command: thin wrappers over the domain packages and the EDC."""
