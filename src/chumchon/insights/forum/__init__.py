"""The learning-forum pack (issue 5, item 5): a village's or tambon's month as a printed
PDF and a spreadsheet, and the background batch of every village of a tambon.

- ``pack.forum_pack_build(area, month, user=None, lang="th") -> ForumPack``
- ``pdf.forum_pack_pdf(pack) -> (bytes, pages)``, ``xlsx.forum_pack_xlsx(pack) -> bytes``
- ``batch.forum_batch_start / forum_batch_run / forum_batch_get_for_user …``
"""
