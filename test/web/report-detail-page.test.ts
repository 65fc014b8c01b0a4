/**
 * The detail page as a whole (its parts are in report-detail.test.ts): it reads the report again
 * every few seconds while open and stops when left; its map draws no tiles unless the console is
 * configured with a tile server, and loads Leaflet only when it is shown.
 */
import { createTestingPinia } from '@pinia/testing';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Report, ReportRead } from '#web/api/reports.ts';
import { createConsoleI18n } from '#web/i18n/index.ts';
import { useReportsStore } from '#web/stores/reports.ts';
import ReportDetail from '#web/views/reports/ReportDetail.vue';
import ReportDetailMap from '#web/views/reports/ReportDetailMap.vue';

const leaflet = vi.hoisted(() => {
  const chain = () => {
    const layer: Record<string, unknown> = {};
    layer.addTo = vi.fn(() => layer);
    layer.bindTooltip = vi.fn(() => layer);
    layer.getLatLng = vi.fn(() => [22.9, 109.4]);
    layer.getBounds = vi.fn(() => ({ extend: vi.fn(() => ({})) }));
    return layer;
  };
  const map = { fitBounds: vi.fn(), setView: vi.fn(), remove: vi.fn() };
  return {
    map,
    module: {
      map: vi.fn(() => map),
      control: { zoom: vi.fn(chain) },
      tileLayer: vi.fn(chain),
      circleMarker: vi.fn(chain),
      polygon: vi.fn(chain),
    },
  };
});
vi.mock('leaflet', () => leaflet.module);
vi.mock('leaflet/dist/leaflet.css', () => ({}));

const ID = 'R0000000000000A1';
const REPORT = {
  id: ID,
  title: '村道小桥塌陷',
  description: '桥面塌陷',
  category: 'infrastructure',
  urgency: 'normal',
  status: 'assigned',
  tier: 'grid',
  countyCode: '451322',
  townshipCode: '451322201',
  villageCode: '451322201001',
  gridCode: '451322201001001',
  assignees: [],
  acceptBy: '2026-11-02T02:00:00.000Z',
  completeBy: null,
  overdue: false,
  createdAt: '2026-11-02T01:00:00.000Z',
  location: { lat: 22.9, lng: 109.4 },
  photos: [],
} as unknown as Report;
const READ = {
  report: REPORT,
  timeline: [],
  notifications: [],
  actions: [],
  mayPublishNote: false,
  now: REPORT.createdAt,
} as unknown as ReportRead;

afterEach(() => {
  vi.useRealTimers();
  vi.clearAllMocks();
});

describe('the detail page', () => {
  beforeEach(() => {
    // Only the page's own timers: promises and Vue's scheduler keep running.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });

  async function mountDetail() {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/reports', name: 'reports', component: { template: '<p>list</p>' } },
        { path: '/reports/:id', name: 'report', component: ReportDetail },
      ],
    });
    await router.push(`/reports/${ID}`);
    const pinia = createTestingPinia({ createSpy: vi.fn, initialState: { reports: { current: READ } } });
    const store = useReportsStore(pinia);
    const wrapper = mount(ReportDetail, {
      global: {
        plugins: [pinia, router, createConsoleI18n('zh-CN'), ElementPlus],
        stubs: { ReportDetailMap: true, ReportDetailPhotos: true },
      },
    });
    await flushPromises();
    return { wrapper, store };
  }

  it('reads the report again every 5 seconds while open, quietly, and stops when left', async () => {
    // Prepare
    const { wrapper, store } = await mountDetail();
    const read = vi.mocked(store.loadReport);
    const atOpening = read.mock.calls.length;

    // Act
    vi.advanceTimersByTime(10_000);
    const whileOpen = read.mock.calls.slice(atOpening);
    wrapper.unmount();
    vi.advanceTimersByTime(30_000);

    // Assess
    expect(read.mock.calls[0]).toEqual([ID]);
    expect(whileOpen).toEqual([
      [ID, { quietly: true }],
      [ID, { quietly: true }],
    ]);
    expect(read.mock.calls.length).toBe(atOpening + 2);
    expect(store.closeReport).toHaveBeenCalled();
  });
});

describe('the map', () => {
  function mountMap(tileUrl: string | null, report: Report = REPORT) {
    const pinia = createTestingPinia({ createSpy: vi.fn, initialState: { console: { tileUrl, tileAttribution: null } } });
    vi.mocked(useReportsStore(pinia).gridBoundary).mockResolvedValue(null);
    return mount(ReportDetailMap, { props: { report }, global: { plugins: [pinia, createConsoleI18n('zh-CN'), ElementPlus] } });
  }

  it('draws the point on a plain ground without tiles when no tile server is configured (offline)', async () => {
    // Act
    const wrapper = mountMap(null);
    await flushPromises();

    // Assess
    expect(leaflet.module.map).toHaveBeenCalledOnce();
    expect(leaflet.module.tileLayer).not.toHaveBeenCalled();
    expect(leaflet.module.circleMarker).toHaveBeenCalledWith([22.9, 109.4], expect.anything());
    expect(leaflet.map.setView).toHaveBeenCalledWith([22.9, 109.4], 15);
    expect(wrapper.text()).toContain('仅显示上报位置');
  });

  it('adds the configured tile server’s layer', async () => {
    // Act
    mountMap('https://tiles.example.gov.cn/{z}/{x}/{y}.png');
    await flushPromises();

    // Assess
    expect(leaflet.module.tileLayer).toHaveBeenCalledWith('https://tiles.example.gov.cn/{z}/{x}/{y}.png', expect.anything());
  });

  it('loads no map for a report without a location', async () => {
    // Act
    const wrapper = mountMap(null, { ...REPORT, location: null });
    await flushPromises();

    // Assess
    expect(leaflet.module.map).not.toHaveBeenCalled();
    expect(wrapper.find('[data-test="report-map"]').exists()).toBe(false);
  });
});
