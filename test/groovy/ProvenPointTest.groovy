// The chain of custody: delphixDataPod refreshes from the point the build's earlier stages proved.

import static TestKit.test

Map login() { return [credentialsId: 'delphix-engine'] }

test('delphixDataPod passes the last delphixCredentials snapshot, else the last delphixRefresh maskedSnapshot') {
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_OUTPUT = '{"container":"prep1","operation":"refresh"}'
    stub.call('delphixDataPod', login() + [template: 'Patients', container: 'prep1'])
    assert !stub.argv('dx-datapod').contains('--snapshot'), 'no earlier stage: the binary picks and proves the point'

    stub.env.FAKE_DX_OUTPUT = '{"vdb":"Patients Masked Master","snapshot":"S-3","maskedSnapshot":"S-4","masked":true}'
    stub.call('delphixRefresh', login() + [vdb: 'Patients Masked Master'])
    stub.env.FAKE_DX_OUTPUT = '{"container":"prep1","operation":"refresh"}'
    stub.call('delphixDataPod', login() + [template: 'Patients', container: 'prep1'])
    assert stub.argv('dx-datapod').join(' ').contains('--snapshot S-4')

    stub.env.FAKE_DX_OUTPUT = '{"vdb":"Patients Masked Master","mode":"exec","snapshot":"S-5","snapshotTime":"2026-12-05T10:00:00.000Z"}'
    stub.call('delphixCredentials', login() + [vdb: 'Patients Masked Master', policy: 'p.yaml', exec: 'true'])
    stub.env.FAKE_DX_OUTPUT = '{"vdb":"Patients Masked Master","mode":"exec","snapshot":"S-6","snapshotTime":"2026-12-05T11:00:00.000Z"}'
    stub.call('delphixCredentials', login() + [vdb: 'Patients Masked Master', policy: 'p.yaml', exec: 'true'])
    stub.env.FAKE_DX_OUTPUT = '{"container":"prep2","operation":"refresh"}'
    stub.call('delphixDataPod', login() + [template: 'Patients', container: 'prep2', create: true, vdb: 'prep2 DB'])
    assert stub.argv('dx-datapod').join(' ').contains('--snapshot S-6')
}

test('a snapshot the caller gives wins, and only refresh gets one') {
    StepStub stub = new StepStub()
    stub.env.FAKE_DX_OUTPUT = '{"vdb":"M","maskedSnapshot":"S-4"}'
    stub.call('delphixRefresh', login() + [vdb: 'M'])
    stub.env.FAKE_DX_OUTPUT = '{"container":"prep1"}'
    stub.call('delphixDataPod', login() + [template: 'Patients', container: 'prep1', snapshot: 'S-9'])
    assert stub.argv('dx-datapod').join(' ').contains('--snapshot S-9')
    stub.call('delphixDataPod', login() + [operation: 'reset', container: 'prep1'])
    assert !stub.argv('dx-datapod').contains('--snapshot')
}

test('ProvenPoint.pick prefers credentials by snapshotTime, then refreshes by file time') {
    assert io.dxsteps.ProvenPoint.pick([], []) == null
    assert io.dxsteps.ProvenPoint.pick([], [[modified: 1L, result: [maskedSnapshot: 'A']], [modified: 2L, result: [maskedSnapshot: 'B']],
                                            [modified: 3L, result: [maskedSnapshot: '']]]) == 'B'
    assert io.dxsteps.ProvenPoint.pick([[modified: 9L, result: [snapshot: 'C1', snapshotTime: '2026-01-01T00:00:00Z']],
                                        [modified: 1L, result: [snapshot: 'C2', snapshotTime: '2026-01-02T00:00:00Z']]],
                                       [[modified: 99L, result: [maskedSnapshot: 'B']]]) == 'C2'
}
