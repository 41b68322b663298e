module github.com/dxsteps/dxsteps

go 1.26.8
