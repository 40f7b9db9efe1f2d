"""`sitegen import jekyll|hugo|wordpress SOURCE`: another generator's archive -> articles.

One module per source (`jekyll`, `hugo`, `wordpress`) turns what it finds
into `Imported` items (`write.py`): sitegen front matter, a Markdown body,
the old URLs. The shared pieces convert template code (`liquid.py`,
`shortcodes.py`), write the files without ever replacing one (`write.py`)
and keep the report of what was converted and what needs a person
(`report.py`). `run.py` ties them together for the command line.
"""
