# Run as `python cliprog` (a directory): sys.path[0] is this directory.
import report

report.main()
