"""Fixes: edits on offsets (``edits``), the fix loop (``loop``), the template migration (``migrate``).

``fastlint fix`` (``fastlint.cli.fix``) drives them: the loop applies the rules' fixes; when the file breaks the
4-stage structure (an FL1xx finding) the migration rewrites it from the template and carries over what belongs
to the service."""
