"""The team service: JupyterHub in front of the officers' workbook (SPEC section 7, docs/team.md).

`actionplan hub` writes a JupyterHub configuration into a fresh state folder
(`config`), then replaces itself with JupyterHub (`serve`), so Ctrl-C reaches
the hub, which stops the proxy, every person's server and their kernels. Each
person signs in (`auth`: passwords kept as hashes in the plan's `people`
table, with a pause after repeated failures; or any JupyterHub authenticator
a council already runs) and gets the workbook in Voila as their page, in a
single-user server locked down so that it runs nothing else (`lockdown`).
`launch` and `singleuser` start JupyterHub and that server without the
slow-to-import `rfc3987_syntax`.
"""
