"""The template migration in steps, each a module: ``read`` (what the legacy Dockerfile and the service's files
say), ``context`` (the template's context decided from that), ``render`` (the new file). ``vocabulary`` holds the
words they share (build inputs, build tools, package names); ``model`` the result and the error.
``fastlint.fixer.migrate.migrate`` runs the steps; the fix loop applies the result as its structural fix."""
