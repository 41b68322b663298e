// Entry point of the local pipeline runner; see jenkinsfile-runner and lib/dxrunner/Runner.groovy.
dxrunner.Runner.main(args)
