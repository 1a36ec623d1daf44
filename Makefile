# The message-passing labs: grade, test, tour, benchmark.
#
#   make grade LAB=1            grade labs/lab1 (DIR=path grades another copy)
#   make grade                  grade every lab
#   make test                   the project's own test suite (tests/run)
#   make check                  its fast part (seconds): unit tests, lint, handouts vs grader
#   make starters               regenerate labs/ from solutions/ (tests/make-starters.sh:
#                               unifdef -DSTARTER on marked sources, a copy of the rest)
#   make release DEST=dir       write a student repository to dir: labs, handouts, data,
#                               grader, a README, a Makefile and a GitHub Classroom workflow;
#                               no solutions, no tests (tests/make-release.sh)
#   make attacks                every attack on the grader (tests/attacks.sh; make test
#                               runs one or more for each way in)
#   make grade-class LAB=1 DIR=submissions   grade a whole class (OUT=dir, JOBS=n,
#                               EXTRA=dir of hidden tests)
#   make gradescope LAB=1       build autograder-lab1.zip for Gradescope (EXTRA=dir)
#   make mutants LAB=1          grade small bugs planted in the reference; prints those
#                               no test catches (MAX=n: a fixed sample of n, JOBS=n)
#   make bench-grader           how fast the grader grades a class of 60 (a benchmark)
#   make tour LAB=1             a guided tour of lab 1, step by step (DIR=path: your build)
#   make bench                  lab 5's channel benchmark: grade-out/bench.csv and .png
#                               (BENCH_ARGS="--cpus 0,1 -r 7" ... for its options)
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

check:
	@status=0; for t in unit lint handout-drift; do tests/$$t.sh || status=1; done; exit $$status

attacks:
	@status=0; for d in tests/attacks/lab*; do tests/private-tmp.sh tests/attacks.sh $${d##*/lab} || status=1; done; exit $$status

starters:
	grader/lib/deps.sh starters
	tests/make-starters.sh

DEST ?=
release:
	@[ -n "$(DEST)" ] || { echo "usage: make release DEST=dir"; exit 2; }
	tests/make-release.sh $(DEST)

OUT   ?=
JOBS  ?=
EXTRA ?=
grade-class:
	@[ -n "$(LAB)" ] && [ -n "$(DIR)" ] || { echo "usage: make grade-class LAB=N DIR=submissions [OUT=dir] [JOBS=n]"; exit 2; }
	grader/grade-class $(LAB) $(DIR) $(if $(JOBS),-j $(JOBS)) $(if $(OUT),-o $(OUT)) $(if $(EXTRA),--extra-tests $(EXTRA))

gradescope:
	@[ -n "$(LAB)" ] || { echo "usage: make gradescope LAB=N"; exit 2; }
	grader/gradescope/package.sh $(LAB) $(if $(EXTRA),--extra-tests $(EXTRA))

bench-grader:
	tests/bench-grader.sh

MAX ?=
mutants:
	@[ -n "$(LAB)" ] || { echo "usage: make mutants LAB=N [MAX=n] [JOBS=n]"; exit 2; }
	tests/mutants.sh $(LAB) $(if $(MAX),-n $(MAX)) $(if $(JOBS),-j $(JOBS))

tour:
ifeq ($(LAB),)
	@echo "usage: make tour LAB=N [DIR=path]   (tours: $(patsubst grader/tours/lab%.tour,%,$(wildcard grader/tours/lab*.tour)))"; exit 2
else
	grader/tour $(LAB) $(DIR)
endif

BENCH_ARGS ?=
bench:
	grader/lib/deps.sh bench
	$(MAKE) -s -C solutions/lab5 bench
	mkdir -p grade-out
	solutions/lab5/bench -o grade-out/bench.csv $(BENCH_ARGS)
	solutions/lab5/plot.sh grade-out/bench.csv grade-out/bench.png

clean:
	for d in labs/lab* solutions/lab*; do $(MAKE) -s -C $$d clean; done
	rm -rf grade-out

.PHONY: grade test check attacks starters release grade-class gradescope bench-grader mutants tour bench clean
