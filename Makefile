# The message-passing labs: grade, test, tour, benchmark.
#
#   make grade LAB=1            grade labs/lab1 (DIR=path grades another copy)
#   make grade                  grade every lab
#   make test                   the project's own test suite (tests/run)
#   make tour LAB=1             a guided tour of lab 1, step by step (DIR=path: your build)
#   make bench                  lab 5's channel benchmark (BENCH_ARGS=... for its options)
#   make clean                  remove build outputs and grader scratch

LABS := $(patsubst grader/lab%.exp,%,$(wildcard grader/lab*.exp))
LAB  ?=
DIR  ?=

grade:
ifeq ($(LAB),)
	@status=0; for n in $(LABS); do grader/grade $$n || status=1; done; exit $$status
else
	grader/grade $(LAB) $(DIR)
endif

test:
	tests/run

tour:
ifeq ($(LAB),)
	@echo "usage: make tour LAB=N [DIR=path]   (tours: $(patsubst grader/tours/lab%.tour,%,$(wildcard grader/tours/lab*.tour)))"; exit 2
else
	grader/tour $(LAB) $(DIR)
endif

BENCH_ARGS ?=
bench:
	$(MAKE) -s -C solutions/lab5 bench
	solutions/lab5/bench -o grade-out/bench.csv $(BENCH_ARGS)

clean:
	for d in labs/lab* solutions/lab*; do $(MAKE) -s -C $$d clean; done
	rm -rf grade-out

.PHONY: grade test tour bench clean
